#include "ingest/snapshot_ingest.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <regex>

#include "ingest_test_support.h"

namespace paperboy::ingest {
namespace {

using testing::dump_store;
using testing::fixture;
using testing::open_test_store;
using testing::TempDir;

IngestOptions quiet_options(std::vector<std::string>* rejects = nullptr) {
  IngestOptions o;
  o.on_reject = [rejects](const std::string& m) {
    if (rejects != nullptr) rejects->push_back(m);
  };
  return o;
}

TEST(SnapshotIngest, BrokenLinesAreReportedWithTheirLineNumbersAndEveryGoodRecordIsKept) {
  TempDir dir;
  auto store = open_test_store(dir.file("p.db"));
  std::vector<std::string> rejects;
  auto options = quiet_options(&rejects);
  options.batch_size = 2;  // good records on both sides of bad lines land in different batches
  std::string path = fixture("broken.jsonl");
  auto summary = ingest_snapshot_files(*store, {path}, options);
  ASSERT_TRUE(summary.has_value()) << summary.error().to_string();

  const std::vector<std::pair<int, std::string>> expected = {
      {3, "malformed JSON"}, {4, "field 'id' missing"}, {6, "field 'title' missing"},
      {8, "field 'categories': expected a string, got number"}, {11, "invalid UTF-8"}, {12, "field 'id'"}};
  ASSERT_EQ(rejects.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string prefix = path + ":" + std::to_string(expected[i].first) + ": ";
    EXPECT_EQ(rejects[i].rfind(prefix, 0), 0u) << rejects[i];
    EXPECT_NE(rejects[i].find(expected[i].second), std::string::npos) << rejects[i];
  }
  EXPECT_EQ(summary->read, 13);  // 14 lines, one blank
  EXPECT_EQ(summary->rejected, 6);
  EXPECT_EQ(summary->inserted, 7);
  EXPECT_FALSE(summary->interrupted);
  for (const char* id : {"2507.14725", "2507.14730", "2507.14757", "2507.14760", "2507.14767", "2507.16840", "2507.17772"}) {
    auto p = store->get_paper(id);
    ASSERT_TRUE(p.has_value());
    EXPECT_TRUE(p->has_value()) << id << " missing from the store";
  }
  EXPECT_EQ(dump_store(*store).size(), 7u);
}

TEST(SnapshotIngest, CompressedAndPlainInputGiveTheSameStore) {
  TempDir dir;
  auto plain = open_test_store(dir.file("plain.db"));
  auto zst = open_test_store(dir.file("zst.db"));
  auto a = ingest_snapshot_files(*plain, {fixture("good-10.jsonl")}, quiet_options());
  auto b = ingest_snapshot_files(*zst, {fixture("good-10.jsonl.zst")}, quiet_options());
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->inserted, 10);
  EXPECT_EQ(b->inserted, 10);
  testing::expect_same_papers(*plain, *zst);
}

TEST(SnapshotIngest, SecondRunOfACompletedFileFindsAllUnchanged) {
  TempDir dir;
  auto store = open_test_store(dir.file("p.db"));
  std::string path = dir.file("s.jsonl");
  testing::write_synthetic_file(path, 300);
  auto first = ingest_snapshot_files(*store, {path}, quiet_options());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->inserted, 300);

  auto seq_before = store->max_change_seq();
  auto again = ingest_snapshot_files(*store, {path}, quiet_options());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->skipped_by_resume, 0);
  EXPECT_EQ(again->read, 300);
  EXPECT_EQ(again->unchanged, 300);
  EXPECT_EQ(*store->max_change_seq(), *seq_before);  // nothing changed, so no index work follows

  auto options = quiet_options();
  options.resume = false;
  auto restart = ingest_snapshot_files(*store, {path}, options);
  ASSERT_TRUE(restart.has_value());
  EXPECT_EQ(restart->read, 300);
  EXPECT_EQ(restart->unchanged, 300);
  EXPECT_EQ(restart->inserted + restart->updated, 0);
}

TEST(SnapshotIngest, AChangedFileIsReadAgainFromTheStart) {
  TempDir dir;
  auto store = open_test_store(dir.file("p.db"));
  std::string path = dir.file("s.jsonl");
  testing::write_synthetic_file(path, 100);
  ASSERT_TRUE(ingest_snapshot_files(*store, {path}, quiet_options()).has_value());
  {
    std::ofstream out(path, std::ios::app);
    out << testing::synthetic_record(101) << '\n';
  }
  auto second = ingest_snapshot_files(*store, {path}, quiet_options());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->skipped_by_resume, 0);
  EXPECT_EQ(second->read, 101);
  EXPECT_EQ(second->unchanged, 100);
  EXPECT_EQ(second->inserted, 1);
}

// Writes the synthetic records as gzip, so resuming has to decompress past the checkpoint.
void write_synthetic_gzip(const std::string& path, int count) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  for (int i = 1; i <= count; ++i) {
    std::string line = testing::synthetic_record(i) + "\n";
    if (i == 77) line = "{broken\n";  // a rejected line before the stop point
    gzwrite(gz, line.data(), static_cast<unsigned>(line.size()));
  }
  gzclose(gz);
}

TEST(SnapshotIngest, StopAfterSomeBatchesThenReRunContinuesAndEqualsACleanRun) {
  TempDir dir;
  std::string path = dir.file("s.jsonl.gz");
  write_synthetic_gzip(path, 1000);

  auto clean = open_test_store(dir.file("clean.db"));
  auto options = quiet_options();
  options.batch_size = 100;
  auto clean_summary = ingest_snapshot_files(*clean, {path}, options);
  ASSERT_TRUE(clean_summary.has_value());
  EXPECT_EQ(clean_summary->inserted, 999);
  EXPECT_EQ(clean_summary->rejected, 1);

  auto resumed = open_test_store(dir.file("resumed.db"));
  std::atomic<bool> stop{false};
  options.stop = &stop;
  options.on_batch_committed = [&stop](const IngestSummary& s) {
    if (s.batches == 3) stop = true;
  };
  auto first = ingest_snapshot_files(*resumed, {path}, options);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->interrupted);
  EXPECT_EQ(first->batches, 3);
  EXPECT_EQ(first->inserted, 300);
  EXPECT_EQ(first->rejected, 1);
  EXPECT_EQ(dump_store(*resumed).size(), 300u);

  stop = false;
  options.on_batch_committed = nullptr;
  auto second = ingest_snapshot_files(*resumed, {path}, options);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->interrupted);
  EXPECT_EQ(second->skipped_by_resume, 301);  // 300 stored + the rejected line among them
  EXPECT_EQ(second->inserted, 699);
  EXPECT_EQ(second->rejected, 0);
  EXPECT_EQ(first->read + second->read, 1000);
  testing::expect_same_papers(*clean, *resumed);
}

TEST(SnapshotIngest, UnreadableFilesFailNamingTheFileBeforeAnythingIsWritten) {
  TempDir dir;
  auto store = open_test_store(dir.file("p.db"));
  auto r = ingest_snapshot_files(*store, {fixture("good-10.jsonl"), dir.file("missing.jsonl")}, quiet_options());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("missing.jsonl"), std::string::npos) << r.error().message();
  EXPECT_EQ(dump_store(*store).size(), 0u);
}

TEST(SnapshotIngest, DefaultRejectReportingDoesNotNeedACallback) {
  TempDir dir;
  auto store = open_test_store(dir.file("p.db"));
  auto r = ingest_snapshot_files(*store, {fixture("broken.jsonl")}, IngestOptions{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->rejected, 6);
}

}  // namespace
}  // namespace paperboy::ingest
