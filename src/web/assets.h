// Static assets served under /static/: our own app.css and app.js (embedded in the binary) and
// KaTeX's distribution (read once at startup from node_modules/katex/dist). URLs carry a content
// hash so they can be cached forever ("immutable"); KaTeX keeps its directory layout under a
// hashed prefix because its stylesheet refers to its fonts by relative path.
// Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "web/compression.h"

namespace paperboy::web {

struct Asset {
  std::string content;
  std::string content_type;
  // Compressed forms, made on first request (the Asset itself stays immutable).
  std::shared_ptr<CompressedVariants> variants = std::make_shared<CompressedVariants>(Effort::kThorough);
};

class Assets {
 public:
  // `katex_dir`: KaTeX's dist folder; when missing, pages show raw LaTeX (logged once).
  explicit Assets(const std::string& katex_dir);

  // The hashed URL of one of our files ("app.css" -> "/static/app.1a2b3c4d.css").
  [[nodiscard]] std::string url_for(std::string_view name) const;
  // "" when KaTeX is not installed.
  [[nodiscard]] std::string katex_css_url() const;
  [[nodiscard]] std::string katex_js_url() const;
  [[nodiscard]] std::string katex_autorender_url() const;
  // The asset at a /static/... path, or nullptr.
  [[nodiscard]] const Asset* find(std::string_view path) const;

 private:
  std::unordered_map<std::string, Asset> by_path_;
  std::unordered_map<std::string, std::string> url_by_name_;
  std::string katex_prefix_;  // "/static/katex.<hash>/" or ""
};

// XXH3-64 as 16 hex digits: content hashes for asset URLs and ETags (not security-relevant).
[[nodiscard]] std::string content_hash_hex(std::string_view data);
[[nodiscard]] std::string content_type_for(std::string_view path);

}  // namespace paperboy::web
