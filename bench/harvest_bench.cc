// OAI-PMH parse+store throughput: feeds the fixture ListRecords pages (arXiv format, 2,500 records
// in 3 pages of ~3.6 MB) through the streaming page parser in 64 KiB chunks, as they would arrive
// from the network, and stores each page in one WriteBatch into a fresh SQLite store, the way
// OaiPmhHarvester does. Prints records/s for parse only and for parse+store.
// Usage: harvest_bench [FIXTURE_DIR] [PASSES]   (default: tests/fixtures/oai-pmh, 5)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/oai_pmh_page.h"
#include "store/database.h"

namespace {

using paperboy::ingest::ListRecordsPage;
using paperboy::ingest::ListRecordsParser;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ListRecordsPage parse(const std::string& xml) {
  ListRecordsParser parser;
  constexpr size_t kChunk = 64 << 10;
  for (size_t i = 0; i < xml.size(); i += kChunk) {
    if (auto s = parser.feed(std::string_view(xml).substr(i, kChunk)); !s.is_ok()) {
      std::fprintf(stderr, "parse error: %s\n", s.to_string().c_str());
      std::exit(1);
    }
  }
  auto page = parser.finish();
  if (!page) std::exit(1);
  return std::move(*page);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? argv[1] : PAPERBOY_SOURCE_DIR "/tests/fixtures/oai-pmh";
  int passes = argc > 2 ? std::atoi(argv[2]) : 5;
  std::vector<std::string> pages;
  for (const char* name : {"arXiv-page-0.xml", "arXiv-page-1.xml", "arXiv-page-2.xml"})
    pages.push_back(read_file(dir / name));
  size_t bytes = 0;
  for (const auto& p : pages) bytes += p.size();

  using Clock = std::chrono::steady_clock;
  double parse_s = 0, total_s = 0;
  std::int64_t records = 0;
  for (int pass = 0; pass < passes; ++pass) {
    auto db = std::filesystem::temp_directory_path() / ("paperboy-harvest-bench-" + std::to_string(pass) + ".db");
    std::filesystem::remove(db);
    paperboy::store::StoreOptions o;
    o.url = "sqlite:" + db.string();
    auto database = paperboy::store::open_database(o);
    if (!database) return 1;
    paperboy::store::Store& store = (*database)->papers();
    for (const auto& xml : pages) {
      auto t0 = Clock::now();
      ListRecordsPage page = parse(xml);
      auto t1 = Clock::now();
      paperboy::store::WriteBatch batch;
      records += static_cast<std::int64_t>(page.papers.size());
      batch.papers = std::move(page.papers);
      batch.state.emplace_back("bench-cursor", page.resumption_token);
      if (!store.apply(batch)) return 1;
      auto t2 = Clock::now();
      parse_s += std::chrono::duration<double>(t1 - t0).count();
      total_s += std::chrono::duration<double>(t2 - t0).count();
    }
    database->reset();
    std::filesystem::remove(db);
    std::filesystem::remove(db.string() + "-wal");
    std::filesystem::remove(db.string() + "-shm");
  }
  std::printf("OAI-PMH pages: %d passes x %zu pages (%.1f MB), %lld records\n", passes, pages.size(), bytes / 1e6,
              static_cast<long long>(records));
  std::printf("parse only:    %.0f records/s (%.1f MB/s)\n", records / parse_s, passes * bytes / 1e6 / parse_s);
  std::printf("parse + store: %.0f records/s\n", records / total_s);
  return 0;
}
