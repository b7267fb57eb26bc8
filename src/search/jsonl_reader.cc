#include "search/jsonl_reader.h"

#include <zstd.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace paperboy::search {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
struct DStreamFree {
  void operator()(ZSTD_DStream* s) const { ZSTD_freeDStream(s); }
};

}  // namespace

Status for_each_line(const std::string& path, const std::function<bool(long, std::string_view)>& on_line) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status::not_found("cannot open " + path);
  const bool is_zstd = path.size() > 4 && path.substr(path.size() - 4) == ".zst";
  std::unique_ptr<ZSTD_DStream, DStreamFree> stream(is_zstd ? ZSTD_createDStream() : nullptr);
  if (is_zstd) ZSTD_initDStream(stream.get());
  std::vector<char> in_buf(1 << 17), out_buf(1 << 18);
  std::string pending;
  long line_number = 0;
  bool keep_going = true;
  auto consume = [&](const char* data, size_t size) {
    pending.append(data, size);
    size_t start = 0;
    while (keep_going) {
      size_t nl = pending.find('\n', start);
      if (nl == std::string::npos) break;
      ++line_number;
      std::string_view line(pending.data() + start, nl - start);
      if (!line.empty()) keep_going = on_line(line_number, line);
      start = nl + 1;
    }
    pending.erase(0, start);
  };
  while (keep_going) {
    size_t got = std::fread(in_buf.data(), 1, in_buf.size(), file.get());
    if (got == 0) break;
    if (!is_zstd) {
      consume(in_buf.data(), got);
      continue;
    }
    ZSTD_inBuffer input{in_buf.data(), got, 0};
    while (input.pos < input.size && keep_going) {
      ZSTD_outBuffer output{out_buf.data(), out_buf.size(), 0};
      size_t rc = ZSTD_decompressStream(stream.get(), &output, &input);
      if (ZSTD_isError(rc)) {
        return Status::io_error(path + ": zstd: " + ZSTD_getErrorName(rc) + " after line " + std::to_string(line_number));
      }
      consume(out_buf.data(), output.pos);
    }
  }
  if (std::ferror(file.get())) return Status::io_error("read error in " + path);
  if (keep_going && !pending.empty()) {
    ++line_number;
    on_line(line_number, pending);
  }
  return Status::ok();
}

}  // namespace paperboy::search
