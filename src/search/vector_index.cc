// The one translation unit that includes hnswlib: its headers define non-inline functions, so a
// second includer would break the link.
#include "search/vector_index.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace paperboy::search {

struct VectorIndex::Impl {
  std::string path;
  std::unique_ptr<hnswlib::InnerProductSpace> space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
  mutable std::shared_mutex mu;
  std::int64_t cursor = 0;
  bool dirty = false;
  std::int64_t saved_cursor = 0;
};

namespace {

constexpr size_t kInitialCapacity = 1024;
constexpr float kNeighbourRepairProbability = 0.1F;

std::int64_t read_cursor(const std::string& path) {
  std::ifstream in(path);
  std::int64_t v = 0;
  if (in >> v) return v;
  return 0;
}

Status write_atomically(const std::string& path, const std::function<void(const std::string&)>& writer) {
  std::string tmp = path + ".tmp";
  try {
    writer(tmp);
  } catch (const std::exception& e) {
    return Status::io_error("writing " + tmp + ": " + e.what());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::io_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
  return Status::ok();
}

// Grows the graph's capacity geometrically; the caller holds the exclusive lock.
void ensure_capacity(hnswlib::HierarchicalNSW<float>& g, size_t needed) {
  if (needed <= g.max_elements_) return;
  g.resizeIndex(std::max(needed, g.max_elements_ * 2));
}

}  // namespace

VectorIndex::VectorIndex(std::unique_ptr<Impl> impl, VectorIndexOptions options)
    : impl_(std::move(impl)), options_(options) {}
VectorIndex::~VectorIndex() = default;

Result<std::unique_ptr<VectorIndex>> VectorIndex::open(const std::string& path, const VectorIndexOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->space = std::make_unique<hnswlib::InnerProductSpace>(static_cast<size_t>(options.dimension));
  std::error_code ec;
  try {
    if (std::filesystem::exists(path, ec)) {
      impl->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(impl->space.get(), path);
      if (impl->graph->data_size_ != impl->space->get_data_size()) {
        return fail(Status::io_error(path + ": vectors have another dimension than configured; run `paperboy reindex`"));
      }
      impl->cursor = impl->saved_cursor = read_cursor(path + ".cursor");
    } else {
      impl->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
          impl->space.get(), kInitialCapacity, static_cast<size_t>(options.m), static_cast<size_t>(options.ef_construction));
    }
  } catch (const std::exception& e) {
    return fail(Status::io_error(path + ": cannot load the vector index (" + e.what() + "); run `paperboy reindex`"));
  }
  impl->graph->setEf(static_cast<size_t>(options.ef_search));
  return std::unique_ptr<VectorIndex>(new VectorIndex(std::move(impl), options));
}

std::int64_t VectorIndex::cursor() const {
  std::shared_lock lock(impl_->mu);
  return impl_->cursor;
}

void VectorIndex::set_cursor(std::int64_t cursor) {
  std::unique_lock lock(impl_->mu);
  if (cursor != impl_->cursor) impl_->dirty = true;
  impl_->cursor = cursor;
}

Status VectorIndex::upsert(std::int64_t doc_id, const std::vector<float>& vector) {
  return upsert_many({{doc_id, vector}}, 1);
}

Status VectorIndex::upsert_many(const std::vector<std::pair<std::int64_t, std::vector<float>>>& items, int threads) {
  for (const auto& [id, v] : items) {
    if (std::cmp_not_equal(v.size(), options_.dimension)) {
      return Status::invalid_argument("vector for doc " + std::to_string(id) + " has " + std::to_string(v.size()) +
                                      " dimensions, expected " + std::to_string(options_.dimension));
    }
  }
  std::unique_lock lock(impl_->mu);
  auto& g = *impl_->graph;
  ensure_capacity(g, g.cur_element_count + items.size());
  std::atomic<size_t> next{0};
  std::string error;
  std::mutex error_mu;
  auto work = [&] {
    for (size_t i = next++; i < items.size(); i = next++) {
      try {
        const auto label = static_cast<hnswlib::labeltype>(items[i].first);
        std::optional<hnswlib::tableint> existing;
        {
          std::lock_guard count_lock(g.cur_element_count_guard_);
          if (auto it = g.label_lookup_.find(label); it != g.label_lookup_.end()) existing = it->second;
        }
        if (existing) {
          // A changed paper. hnswlib's addPoint would re-link every neighbour's neighbourhood
          // (probability 1.0), ~5 ms a paper; a revised paper barely moves, so re-link its own
          // edges and only a sample of its neighbours' (as hnswlib's updatePoint allows).
          std::lock_guard update_lock(g.link_list_update_locks_[*existing & (g.max_update_element_locks - 1)]);
          g.updatePoint(items[i].second.data(), *existing, kNeighbourRepairProbability);
          continue;
        }
        g.addPoint(items[i].second.data(), label);
      } catch (const std::exception& e) {
        std::lock_guard el(error_mu);
        error = e.what();
      }
    }
  };
  if (threads <= 1 || items.size() < 1000) {
    work();
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  }
  impl_->dirty = true;
  if (!error.empty()) return Status::internal("vector index: " + error);
  return Status::ok();
}

std::vector<std::pair<std::int64_t, float>> VectorIndex::search(const std::vector<float>& query, int k) const {
  std::vector<std::pair<std::int64_t, float>> out;
  if (std::cmp_not_equal(query.size(), options_.dimension) || k <= 0) return out;
  std::shared_lock lock(impl_->mu);
  auto& g = *impl_->graph;
  if (g.cur_element_count == 0) return out;
  auto found = g.searchKnn(query.data(), std::min<size_t>(static_cast<size_t>(k), g.cur_element_count));
  while (!found.empty()) {
    // hnswlib's inner-product distance is 1 - <a, b>.
    out.emplace_back(static_cast<std::int64_t>(found.top().second), 1.0F - found.top().first);
    found.pop();
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<float> VectorIndex::vector_of(std::int64_t doc_id) const {
  std::shared_lock lock(impl_->mu);
  try {
    return impl_->graph->getDataByLabel<float>(static_cast<hnswlib::labeltype>(doc_id));
  } catch (const std::exception&) {
    return {};  // not indexed (yet)
  }
}

size_t VectorIndex::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->graph->cur_element_count;
}

Status VectorIndex::save() {
  std::unique_lock lock(impl_->mu);
  if (!impl_->dirty) return Status::ok();
  PB_RETURN_IF_ERROR(write_atomically(impl_->path, [&](const std::string& tmp) { impl_->graph->saveIndex(tmp); }));
  // The cursor goes second: a crash between the renames leaves an older cursor, and replaying
  // from it re-adds vectors the file already has, which changes nothing.
  PB_RETURN_IF_ERROR(write_atomically(impl_->path + ".cursor", [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::trunc);
    out << impl_->cursor << "\n";
    out.flush();
    if (!out) throw std::runtime_error("write failed");
  }));
  impl_->dirty = false;
  impl_->saved_cursor = impl_->cursor;
  return Status::ok();
}

}  // namespace paperboy::search
