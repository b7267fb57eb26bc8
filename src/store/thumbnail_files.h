// ThumbnailFiles: the thumbnail images on disk, content-addressed: an image is stored once under
// DIR/ab/abcdef....webp, named by the BLAKE2b-128 hash of its bytes (32 lower-case hex digits), so
// a name never changes meaning and the web server can let browsers keep it for a year. Writes are
// atomic (a temporary file in the same folder, fsync, rename): a reader never sees half an image,
// and a crash leaves at most a stray temporary file. Thread-safe (no state beyond the folder).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::store {

class ThumbnailFiles {
 public:
  explicit ThumbnailFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Whether `hash` is a name put() can return: exactly 32 lower-case hex digits (so a request
  // path can never name anything else under or outside the folder).
  [[nodiscard]] static bool is_valid_hash(std::string_view hash);
  // The hash put() gives these bytes.
  [[nodiscard]] static std::string hash_of(std::string_view bytes);

  // Stores the image (if not already there) and returns its hash.
  [[nodiscard]] Result<std::string> put(std::string_view bytes) const;
  // The image's bytes: not_found when absent, invalid_argument for a name that is not a hash.
  [[nodiscard]] Result<std::string> read(std::string_view hash) const;
  // Where the image of `hash` lives (is_valid_hash(hash) must hold).
  [[nodiscard]] std::filesystem::path path_of(std::string_view hash) const;
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace paperboy::store
