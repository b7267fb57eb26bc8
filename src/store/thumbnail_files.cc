#include "store/thumbnail_files.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace paperboy::store {
namespace {

constexpr size_t kHashBytes = 16;  // 128 bits: collisions are out of reach, names stay short

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::io_error("write " + path + ": " + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

}  // namespace

bool ThumbnailFiles::is_valid_hash(std::string_view hash) {
  if (hash.size() != kHashBytes * 2) return false;
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ThumbnailFiles::hash_of(std::string_view bytes) {
  unsigned char digest[kHashBytes];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(kHashBytes * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::filesystem::path ThumbnailFiles::path_of(std::string_view hash) const {
  return dir_ / std::string(hash.substr(0, 2)) / (std::string(hash) + ".webp");
}

Result<std::string> ThumbnailFiles::put(std::string_view bytes) const {
  std::string hash = hash_of(bytes);
  std::filesystem::path final_path = path_of(hash);
  std::error_code ec;
  if (std::filesystem::exists(final_path, ec)) return hash;  // same bytes, same name
  std::filesystem::create_directories(final_path.parent_path(), ec);
  if (ec) return fail(Status::io_error("cannot create " + final_path.parent_path().string() + ": " + ec.message()));
  // A name no other writer (thread or process) picks: pid and a per-process counter.
  static std::atomic<unsigned long> counter{0};
  std::string tmp = final_path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return fail(Status::io_error("create " + tmp + ": " + std::strerror(errno)));
  Status s = write_all(fd, bytes, tmp);
  if (s.is_ok() && ::fsync(fd) != 0) s = Status::io_error("fsync " + tmp + ": " + std::strerror(errno));
  if (::close(fd) != 0 && s.is_ok()) s = Status::io_error("close " + tmp + ": " + std::strerror(errno));
  if (s.is_ok() && std::rename(tmp.c_str(), final_path.c_str()) != 0) {
    s = Status::io_error("rename " + tmp + ": " + std::strerror(errno));
  }
  if (!s.is_ok()) {
    ::unlink(tmp.c_str());
    return fail(s);
  }
  return hash;
}

Result<std::string> ThumbnailFiles::read(std::string_view hash) const {
  if (!is_valid_hash(hash)) return fail(Status::invalid_argument("not a thumbnail name: '" + std::string(hash) + "'"));
  std::filesystem::path path = path_of(hash);
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Status::not_found("no thumbnail " + std::string(hash)));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return fail(Status::io_error("read " + path.string()));
  return std::move(out).str();
}

}  // namespace paperboy::store
