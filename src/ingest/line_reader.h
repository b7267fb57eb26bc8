// LineReader: streams the lines of a plain, gzip or zstd file (the compression is chosen by the
// file's magic bytes, not its name), with the line number and the uncompressed byte offset of
// each line. Memory stays bounded by the longest line, whatever the file size. Used by snapshot
// ingest. One thread at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::ingest {

enum class Compression { kNone, kGzip, kZstd };

std::string_view compression_name(Compression c);

// A source of decompressed bytes (one per compression format).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `size` bytes; 0 means end of stream. Errors name the problem (corrupt data, I/O).
  virtual Result<std::size_t> read(char* out, std::size_t size) = 0;
};

class LineReader {
 public:
  // Lines longer than this are an error rather than unbounded memory growth.
  static constexpr std::size_t kMaxLineBytes = 64u << 20;
  // Bytes kept readable after each returned line so that parsers that read ahead in
  // blocks (simdjson needs SIMDJSON_PADDING = 64) can use the line in place.
  static constexpr std::size_t kPadding = 64;

  // Opens `path`; fails when it cannot be opened or is in a compression format we do not read.
  static Result<std::unique_ptr<LineReader>> open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its line terminator ("\n" or "\r\n"); the view is valid until the next
  // call and is followed by kPadding readable bytes. Returns false at end of file. A final line
  // without a newline is still a line.
  Result<bool> next(std::string_view& line);

  // Advances until `line_number()` == `target_line`; false when the file ends first.
  Result<bool> skip_to_line(std::int64_t target_line);

  // 1-based number of the line last returned by next(); 0 before the first.
  [[nodiscard]] std::int64_t line_number() const { return line_number_; }
  // Uncompressed byte offset just past the last returned line (and its newline).
  [[nodiscard]] std::uint64_t offset() const { return offset_; }
  // Bytes read from the file itself (compressed bytes for .gz/.zst): progress against file size.
  [[nodiscard]] std::uint64_t file_bytes_read() const { return *file_bytes_read_; }
  [[nodiscard]] std::uint64_t file_size() const { return file_size_; }
  [[nodiscard]] Compression compression() const { return compression_; }

 private:
  LineReader() = default;
  Status fill();  // reads more bytes into the buffer after compacting it

  std::FILE* file_ = nullptr;
  std::unique_ptr<ByteSource> source_;
  std::shared_ptr<std::uint64_t> file_bytes_read_;
  std::uint64_t file_size_ = 0;
  Compression compression_ = Compression::kNone;
  std::vector<char> buffer_;  // [begin_, end_) holds bytes not yet returned, then kPadding spare
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::int64_t line_number_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace paperboy::ingest
