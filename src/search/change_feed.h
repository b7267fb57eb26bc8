// for_each_change: how the derived indexes follow the store. Reads the papers changed after a
// change sequence number in batches, in change order, and hands each batch to a callback; every
// index (lexical, vectors, the in-memory ranking index) catches up through it. Holds no state; as
// thread-safe as the store and the callback it is given.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::search {

// Called with each batch (never empty) and the change_seq of its last paper.
using ChangeVisitor = std::function<Status(const std::vector<store::StoredPaper>& batch, std::int64_t last_seq)>;

// Visits every paper changed after `after_seq`, `batch_size` at a time, until a batch comes back
// short. Returns the change_seq of the last paper visited (`after_seq` when none changed). Stops at
// the first error, the store's or the visitor's; a store that does not advance the sequence is an
// error rather than an endless loop.
[[nodiscard]] Result<std::int64_t> for_each_change(store::Store& store, std::int64_t after_seq, int batch_size,
                                                   const ChangeVisitor& visit);

}  // namespace paperboy::search
