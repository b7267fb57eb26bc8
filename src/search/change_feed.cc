#include "search/change_feed.h"

#include <string>
#include <utility>

namespace paperboy::search {

Result<std::int64_t> for_each_change(store::Store& store, std::int64_t after_seq, int batch_size,
                                     const ChangeVisitor& visit) {
  if (batch_size <= 0) return fail(Status::invalid_argument("change batch size must be positive"));
  std::int64_t after = after_seq;
  for (;;) {
    auto batch = store.papers_changed_since(after, batch_size);
    if (!batch) return fail(batch.error());
    if (batch->empty()) return after;
    const std::int64_t last = batch->back().change_seq;
    // Each pass must move the sequence forward, so the loop ends after at most as many passes as
    // there are changes.
    if (last <= after) {
      return fail(Status::internal("store returned changes up to seq " + std::to_string(last) +
                                   " when asked for those after " + std::to_string(after)));
    }
    if (Status s = visit(*batch, last); !s.is_ok()) return fail(s);
    after = last;
    if (std::cmp_less(batch->size(), batch_size)) return after;
  }
}

}  // namespace paperboy::search
