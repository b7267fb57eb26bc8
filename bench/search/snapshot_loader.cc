#include "search/snapshot_loader.h"

#include <filesystem>
#include <utility>

#include "ingest/line_reader.h"
#include "ingest/snapshot_record.h"

namespace paperboy::bench {

Result<std::vector<core::Paper>> read_snapshot_papers(const std::string& path, long limit) {
  auto reader = ingest::LineReader::open(path);
  if (!reader) return fail(reader.error());
  ingest::SnapshotRecordParser parser;
  std::vector<core::Paper> papers;
  std::string_view line;
  while (limit <= 0 || std::cmp_less(papers.size(), limit)) {
    auto more = (*reader)->next(line);
    if (!more) return fail(more.error());
    if (!*more) break;
    if (line.empty()) continue;
    // Rejected lines are skipped: tests and benchmarks only need the good records.
    if (auto paper = parser.parse(line, ingest::LineReader::kPadding)) papers.push_back(std::move(*paper));
  }
  return papers;
}

Status store_papers(store::Store& store, const std::vector<core::Paper>& papers, size_t batch) {
  for (size_t i = 0; i < papers.size(); i += batch) {
    store::WriteBatch wb;
    wb.papers.assign(papers.begin() + static_cast<std::ptrdiff_t>(i),
                     papers.begin() + static_cast<std::ptrdiff_t>(std::min(papers.size(), i + batch)));
    auto r = store.apply(wb);
    if (!r) return r.error();
  }
  return Status::ok();
}

std::string shared_corpus_path() {
  auto p = std::filesystem::path(PAPERBOY_SOURCE_DIR) / ".." / "shared" / "corpus" / "arxiv-cs-141k.jsonl.zst";
  return std::filesystem::exists(p) ? p.lexically_normal().string() : std::string();
}

}  // namespace paperboy::bench
