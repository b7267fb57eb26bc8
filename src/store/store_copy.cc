#include "store/store_copy.h"

#include <xxhash.h>

#include <unordered_map>

namespace paperboy::store {
namespace {

std::uint64_t state_hash(const std::string& key, const std::string& value) {
  // Length-prefixed so ("ab","c") and ("a","bc") differ.
  std::string buf = std::to_string(key.size()) + ":" + key + value;
  return XXH3_64bits(buf.data(), buf.size());
}

// Calls `each` for every paper of `store`, in change-sequence order.
Status for_each_paper(Store& store, int batch_size, const std::function<void(const StoredPaper&)>& each) {
  std::int64_t cursor = 0;
  for (;;) {
    auto page = store.papers_changed_since(cursor, batch_size);
    if (!page) return page.error();
    if (page->empty()) return Status::ok();
    for (const auto& p : *page) each(p);
    cursor = page->back().change_seq;
  }
}

void add_paper(StoreDigest& d, std::uint64_t content_hash) {
  ++d.papers;
  d.papers_checksum += content_hash;
}

void add_state(StoreDigest& d, const std::string& key, const std::string& value) {
  ++d.state_entries;
  d.state_checksum += state_hash(key, value);
}

}  // namespace

Result<StoreDigest> digest_store(Store& store, int batch_size) {
  StoreDigest d;
  if (Status s = for_each_paper(store, batch_size, [&](const StoredPaper& p) { add_paper(d, p.paper.content_hash()); });
      !s.is_ok()) {
    return fail(s);
  }
  auto state = store.list_state();
  if (!state) return fail(state.error());
  for (const auto& [key, value] : *state) add_state(d, key, value);
  return d;
}

Result<CopyReport> copy_store(Store& source, Store& target, const CopyOptions& options) {
  CopyReport report;
  if (!options.allow_non_empty_target) {
    auto stats = target.stats();
    if (!stats) return fail(stats.error());
    auto state = target.list_state();
    if (!state) return fail(state.error());
    if (stats->papers > 0 || !state->empty()) {
      return fail(Status::already_exists("the target already holds " + std::to_string(stats->papers) +
                                         " papers and " + std::to_string(state->size()) +
                                         " state entries; copy into an empty database, or pass --force to "
                                         "merge into it under the version rules"));
    }
  }

  // Papers, in batches, in the source's change order.
  std::int64_t cursor = 0;
  std::int64_t copied = 0;
  for (;;) {
    auto page = source.papers_changed_since(cursor, options.batch_size);
    if (!page) return fail(page.error().with_context("reading the source"));
    if (page->empty()) break;
    WriteBatch batch;
    batch.papers.reserve(page->size());
    for (auto& p : *page) batch.papers.push_back(std::move(p.paper));
    cursor = page->back().change_seq;
    auto written = target.apply(batch);
    if (!written) return fail(written.error().with_context("writing the target"));
    report.totals.inserted += written->inserted;
    report.totals.updated += written->updated;
    report.totals.unchanged += written->unchanged;
    report.totals.stale += written->stale;
    copied += static_cast<std::int64_t>(batch.papers.size());
    if (options.on_progress) options.on_progress(copied);
  }
  auto state = source.list_state();
  if (!state) return fail(state.error().with_context("reading the source"));
  if (!state->empty()) {
    auto written = target.apply({.state = *state});
    if (!written) return fail(written.error().with_context("writing the target"));
  }
  report.state_entries = static_cast<std::int64_t>(state->size());

  // Verify: every source paper and state entry is in the target with identical content (as read
  // back and decoded, so a column that mangles text would show). One pass over each side.
  std::unordered_map<std::string, std::uint64_t> expected;
  Status s = for_each_paper(source, options.batch_size, [&](const StoredPaper& p) {
    std::uint64_t h = p.paper.content_hash();
    add_paper(report.source, h);
    expected.emplace(p.paper.id, h);
  });
  if (!s.is_ok()) return fail(s);
  std::int64_t matched = 0;
  s = for_each_paper(target, options.batch_size, [&](const StoredPaper& p) {
    std::uint64_t h = p.paper.content_hash();
    add_paper(report.target, h);
    auto it = expected.find(p.paper.id);
    if (it != expected.end() && it->second == h) ++matched;
  });
  if (!s.is_ok()) return fail(s);
  report.missing_or_different_papers = static_cast<std::int64_t>(expected.size()) - matched;
  for (const auto& [key, value] : *state) add_state(report.source, key, value);
  auto target_state = target.list_state();
  if (!target_state) return fail(target_state.error());
  for (const auto& [key, value] : *target_state) add_state(report.target, key, value);
  std::unordered_map<std::string, std::string> have(target_state->begin(), target_state->end());
  for (const auto& [key, value] : *state) {
    auto it = have.find(key);
    if (it == have.end() || it->second != value) ++report.missing_or_different_state;
  }
  return report;
}

}  // namespace paperboy::store
