#include "ingest/line_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>

#include "ingest_test_support.h"

namespace paperboy::ingest {
namespace {

using testing::fixture;
using testing::TempDir;

struct ReadLine {
  std::string text;
  std::int64_t number;
  std::uint64_t offset_after;
};

std::vector<ReadLine> read_all(const std::string& path) {
  auto reader = LineReader::open(path);
  EXPECT_TRUE(reader.has_value()) << (reader ? "" : reader.error().to_string());
  std::vector<ReadLine> out;
  if (!reader) return out;
  std::string_view line;
  for (;;) {
    auto more = (*reader)->next(line);
    EXPECT_TRUE(more.has_value()) << (more ? "" : more.error().to_string());
    if (!more || !*more) break;
    out.push_back({std::string(line), (*reader)->line_number(), (*reader)->offset()});
  }
  return out;
}

TEST(LineReader, PlainGzipAndZstdYieldTheSameLinesNumbersAndOffsets) {
  auto plain = read_all(fixture("good-10.jsonl"));
  ASSERT_EQ(plain.size(), 11u);  // 10 records and one blank line
  EXPECT_EQ(plain[7].text, "");
  EXPECT_EQ(plain.back().number, 11);
  EXPECT_EQ(plain.back().offset_after, std::filesystem::file_size(fixture("good-10.jsonl")));
  EXPECT_EQ(plain[4].text.back(), '}') << "the CRLF line ending is stripped";
  for (const char* compressed : {"good-10.jsonl.gz", "good-10.jsonl.zst"}) {
    auto lines = read_all(fixture(compressed));
    ASSERT_EQ(lines.size(), plain.size()) << compressed;
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(lines[i].text, plain[i].text) << compressed << " line " << i + 1;
      EXPECT_EQ(lines[i].number, plain[i].number);
      EXPECT_EQ(lines[i].offset_after, plain[i].offset_after);
    }
  }
}

TEST(LineReader, ChoosesDecompressionByMagicBytesNotFileName) {
  TempDir dir;
  std::string misnamed = dir.file("snapshot.txt");
  std::filesystem::copy_file(fixture("good-10.jsonl.zst"), misnamed);
  auto reader = LineReader::open(misnamed);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ((*reader)->compression(), Compression::kZstd);
  EXPECT_EQ(read_all(misnamed).size(), 11u);
}

TEST(LineReader, ReadsLinesLongerThanItsBufferAndALastLineWithoutNewline) {
  TempDir dir;
  std::string path = dir.file("long.txt");
  std::string big(3u << 20, 'x');  // three times the 1 MiB read chunk
  {
    std::ofstream out(path, std::ios::binary);
    out << "short\n" << big << "\nlast";
  }
  auto lines = read_all(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "short");
  EXPECT_EQ(lines[1].text.size(), big.size());
  EXPECT_EQ(lines[2].text, "last");
}

TEST(LineReader, ReadsConcatenatedGzipMembersAsOneStream) {
  TempDir dir;
  std::string path = dir.file("two.gz");
  for (const char* text : {"first\n", "second\n"}) {
    gzFile gz = gzopen(path.c_str(), "ab");
    ASSERT_NE(gz, nullptr);
    gzputs(gz, text);
    gzclose(gz);
  }
  auto lines = read_all(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "second");
}

TEST(LineReader, TruncatedZstdFileIsAnErrorNotASilentEnd) {
  TempDir dir;
  std::string path = dir.file("cut.zst");
  std::string data(200000, 'a');
  for (size_t i = 0; i < data.size(); i += 100) data[i] = '\n';
  std::string compressed(ZSTD_compressBound(data.size()), '\0');
  compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), data.data(), data.size(), 3));
  {
    std::ofstream out(path, std::ios::binary);
    out.write(compressed.data(), static_cast<std::streamsize>(compressed.size() / 2));
  }
  auto reader = LineReader::open(path);
  ASSERT_TRUE(reader.has_value());
  std::string_view line;
  Status error;
  for (;;) {
    auto more = (*reader)->next(line);
    if (!more) {
      error = more.error();
      break;
    }
    ASSERT_TRUE(*more) << "reached a clean end of a truncated file";
  }
  EXPECT_NE(error.message().find("truncated"), std::string::npos) << error.message();
}

TEST(LineReader, SkipToLineLandsOnTheSameOffsetAsReading) {
  auto all = read_all(fixture("good-10.jsonl.zst"));
  auto reader = LineReader::open(fixture("good-10.jsonl.zst"));
  ASSERT_TRUE(reader.has_value());
  auto reached = (*reader)->skip_to_line(6);
  ASSERT_TRUE(reached.has_value() && *reached);
  EXPECT_EQ((*reader)->offset(), all[5].offset_after);
  std::string_view line;
  ASSERT_TRUE((*reader)->next(line).value());
  EXPECT_EQ(line, all[6].text);
}

TEST(LineReader, MissingFileAndUnsupportedCompressionAreClearErrors) {
  auto missing = LineReader::open("/nonexistent/snapshot.jsonl");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("/nonexistent/snapshot.jsonl"), std::string::npos);

  TempDir dir;
  std::string xz = dir.file("a.xz");
  {
    std::ofstream out(xz, std::ios::binary);
    out << "\xFD" "7zXZ" << '\0' << "rest";
  }
  auto r = LineReader::open(xz);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("xz"), std::string::npos);
}

}  // namespace
}  // namespace paperboy::ingest
