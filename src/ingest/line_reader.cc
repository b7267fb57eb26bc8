#include "ingest/line_reader.h"

#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace paperboy::ingest {
namespace {

constexpr std::size_t kChunk = 1u << 20;  // bytes per read from the file and per decompress step

// Reads raw bytes from the file and counts them (progress for compressed input is measured in
// compressed bytes, the only thing whose total we know up front).
class FileInput {
 public:
  FileInput(std::FILE* file, std::shared_ptr<std::uint64_t> counter) : file_(file), counter_(std::move(counter)) {}
  Result<std::size_t> read(char* out, std::size_t size) {
    std::size_t n = std::fread(out, 1, size, file_);
    if (n < size && std::ferror(file_)) return fail(Status::io_error(std::string("read failed: ") + std::strerror(errno)));
    *counter_ += n;
    return n;
  }

 private:
  std::FILE* file_;
  std::shared_ptr<std::uint64_t> counter_;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(FileInput in) : in_(std::move(in)) {}
  Result<std::size_t> read(char* out, std::size_t size) override { return in_.read(out, size); }

 private:
  FileInput in_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(FileInput in) : in_(std::move(in)), input_(kChunk) {}
  ~GzipSource() override {
    if (initialised_) inflateEnd(&z_);
  }
  Status init() {
    // 15 + 32: a zlib or gzip header, detected automatically.
    if (inflateInit2(&z_, 15 + 32) != Z_OK) return Status::internal("zlib: inflateInit2 failed");
    initialised_ = true;
    return Status::ok();
  }
  Result<std::size_t> read(char* out, std::size_t size) override {
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(size);
    while (z_.avail_out == size && !done_) {
      if (z_.avail_in == 0) {
        auto n = in_.read(input_.data(), input_.size());
        if (!n) return fail(n.error());
        if (*n == 0) {
          if (!at_member_end_) return fail(Status::io_error("gzip: unexpected end of file (truncated?)"));
          done_ = true;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(input_.data());
        z_.avail_in = static_cast<uInt>(*n);
      }
      at_member_end_ = false;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Concatenated gzip members (what `cat a.gz b.gz` makes) are one stream to gunzip too.
        at_member_end_ = true;
        if (inflateReset(&z_) != Z_OK) return fail(Status::internal("zlib: inflateReset failed"));
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return fail(Status::io_error(std::string("gzip: corrupt data: ") + (z_.msg != nullptr ? z_.msg : "error")));
      }
    }
    return size - z_.avail_out;
  }

 private:
  FileInput in_;
  std::vector<char> input_;
  z_stream z_{};
  bool initialised_ = false;
  bool at_member_end_ = false;
  bool done_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(FileInput in) : in_(std::move(in)), input_(ZSTD_DStreamInSize()), dctx_(ZSTD_createDCtx()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }
  Result<std::size_t> read(char* out, std::size_t size) override {
    if (dctx_ == nullptr) return fail(Status::resource_exhausted("zstd: cannot allocate a decompression context"));
    ZSTD_outBuffer ob{out, size, 0};
    while (ob.pos == 0 && !done_) {
      if (ib_.pos == ib_.size) {
        auto n = in_.read(input_.data(), input_.size());
        if (!n) return fail(n.error());
        if (*n == 0) {
          // A frame still open at end of file means the file was cut short.
          if (!frame_done_) return fail(Status::io_error("zstd: unexpected end of file (truncated?)"));
          done_ = true;
          break;
        }
        ib_ = ZSTD_inBuffer{input_.data(), *n, 0};
      }
      std::size_t rc = ZSTD_decompressStream(dctx_, &ob, &ib_);
      if (ZSTD_isError(rc)) return fail(Status::io_error(std::string("zstd: corrupt data: ") + ZSTD_getErrorName(rc)));
      frame_done_ = rc == 0;
    }
    return ob.pos;
  }

 private:
  FileInput in_;
  std::vector<char> input_;
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer ib_{nullptr, 0, 0};
  bool frame_done_ = true;
  bool done_ = false;
};

}  // namespace

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kNone: return "plain";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "?";
}

Result<std::unique_ptr<LineReader>> LineReader::open(const std::string& path) {
  std::unique_ptr<LineReader> r(new LineReader());
  r->file_ = std::fopen(path.c_str(), "rb");
  if (r->file_ == nullptr) return fail(Status::io_error("cannot open " + path + ": " + std::strerror(errno)));
  struct stat st {};
  if (fstat(fileno(r->file_), &st) != 0) return fail(Status::io_error("cannot stat " + path + ": " + std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return fail(Status::invalid_argument(path + " is a directory"));
  r->file_size_ = static_cast<std::uint64_t>(st.st_size);

  unsigned char magic[6] = {};
  std::size_t n = std::fread(magic, 1, sizeof magic, r->file_);
  std::rewind(r->file_);
  auto starts_with = [&](std::initializer_list<unsigned char> m) {
    return n >= m.size() && std::equal(m.begin(), m.end(), magic);
  };
  if (starts_with({0xFD, '7', 'z', 'X', 'Z', 0x00})) return fail(Status::invalid_argument(path + ": xz files are not supported; use .zst, .gz or plain"));
  if (starts_with({'B', 'Z', 'h'})) return fail(Status::invalid_argument(path + ": bzip2 files are not supported; use .zst, .gz or plain"));

  r->file_bytes_read_ = std::make_shared<std::uint64_t>(0);
  FileInput in(r->file_, r->file_bytes_read_);
  if (starts_with({0x1F, 0x8B})) {
    auto gz = std::make_unique<GzipSource>(std::move(in));
    if (Status s = gz->init(); !s.is_ok()) return fail(s);
    r->source_ = std::move(gz);
    r->compression_ = Compression::kGzip;
  } else if (starts_with({0x28, 0xB5, 0x2F, 0xFD})) {
    r->source_ = std::make_unique<ZstdSource>(std::move(in));
    r->compression_ = Compression::kZstd;
  } else {
    r->source_ = std::make_unique<PlainSource>(std::move(in));
  }
  r->buffer_.resize(kChunk + kPadding);
  return r;
}

LineReader::~LineReader() {
  source_.reset();
  if (file_ != nullptr) std::fclose(file_);
}

Status LineReader::fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t room = buffer_.size() - kPadding - end_;
  if (room < kChunk / 2) {
    if (end_ >= kMaxLineBytes) {
      return Status::invalid_argument("line " + std::to_string(line_number_ + 1) + " is longer than " +
                                      std::to_string(kMaxLineBytes >> 20) + " MiB");
    }
    buffer_.resize(std::min(buffer_.size() * 2, kMaxLineBytes + kChunk + kPadding));
    room = buffer_.size() - kPadding - end_;
  }
  auto n = source_->read(buffer_.data() + end_, room);
  if (!n) return n.error().with_context("after line " + std::to_string(line_number_));
  if (*n == 0) eof_ = true;
  end_ += *n;
  return Status::ok();
}

Result<bool> LineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // bytes before this are known to hold no newline
  for (;;) {
    const char* start = buffer_.data() + scanned;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - scanned));
    if (nl != nullptr || (eof_ && end_ > begin_)) {
      std::size_t stop = nl != nullptr ? static_cast<std::size_t>(nl - buffer_.data()) : end_;
      std::size_t consumed = stop - begin_ + (nl != nullptr ? 1 : 0);
      std::size_t len = stop - begin_;
      if (len > 0 && buffer_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buffer_.data() + begin_, len);
      begin_ += consumed;
      offset_ += consumed;
      ++line_number_;
      return true;
    }
    if (eof_) return false;
    std::size_t pending = end_ - begin_;
    if (Status s = fill(); !s.is_ok()) return fail(s);
    scanned = begin_ + pending;  // fill() moved the pending bytes to the front
  }
}

Result<bool> LineReader::skip_to_line(std::int64_t target_line) {
  std::string_view ignored;
  while (line_number_ < target_line) {
    auto more = next(ignored);
    if (!more) return fail(more.error());
    if (!*more) return false;
  }
  return true;
}

}  // namespace paperboy::ingest
