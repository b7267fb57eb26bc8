#include "web/assets.h"

#include <spdlog/spdlog.h>
#include <xxhash.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/embedded.h"

namespace paperboy::web {

std::string content_hash_hex(std::string_view data) {
  // XXH3: every uncached page is hashed for its ETag; byte-at-a-time FNV took 3% of a search page.
  std::uint64_t h = XXH3_64bits(data.data(), data.size());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string content_type_for(std::string_view path) {
  auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "application/javascript; charset=utf-8";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".ttf")) return "font/ttf";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

Assets::Assets(const std::string& katex_dir) {
  for (const auto& f : embedded_files()) {
    if (!f.path.starts_with("static/")) continue;
    std::string name(f.path.substr(7));
    auto dot = name.rfind('.');
    std::string url =
        "/static/" + name.substr(0, dot) + "." + content_hash_hex(f.content).substr(0, 12) + name.substr(dot);
    by_path_[url] = {std::string(f.content), content_type_for(name)};
    url_by_name_[name] = url;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  if (katex_dir.empty() || !fs::exists(fs::path(katex_dir) / "katex.min.js", ec)) {
    spdlog::warn("KaTeX not found in '{}' (run scripts/setup.sh); math is shown as raw LaTeX", katex_dir);
    return;
  }
  std::unordered_map<std::string, std::string> files;
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(katex_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), katex_dir).generic_string();
    bool wanted =
        rel == "katex.min.css" || rel == "katex.min.js" || rel == "contrib/auto-render.min.js" ||
        (rel.starts_with("fonts/") && (rel.ends_with(".woff2") || rel.ends_with(".woff") || rel.ends_with(".ttf")));
    if (!wanted) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    files[rel] = buf.str();
  }
  for (const char* key : {"katex.min.css", "katex.min.js", "contrib/auto-render.min.js"}) {
    if (!files.contains(key)) {
      spdlog::warn("KaTeX in '{}' lacks {}; math is shown as raw LaTeX", katex_dir, key);
      return;
    }
    all += files[key];
  }
  katex_prefix_ = "/static/katex." + content_hash_hex(all).substr(0, 12) + "/";
  for (auto& [rel, content] : files) by_path_[katex_prefix_ + rel] = {std::move(content), content_type_for(rel)};
}

std::string Assets::url_for(std::string_view name) const {
  auto it = url_by_name_.find(std::string(name));
  return it == url_by_name_.end() ? std::string() : it->second;
}

std::string Assets::katex_css_url() const {
  return katex_prefix_.empty() ? "" : katex_prefix_ + "katex.min.css";
}
std::string Assets::katex_js_url() const {
  return katex_prefix_.empty() ? "" : katex_prefix_ + "katex.min.js";
}
std::string Assets::katex_autorender_url() const {
  return katex_prefix_.empty() ? "" : katex_prefix_ + "contrib/auto-render.min.js";
}

const Asset* Assets::find(std::string_view path) const {
  auto it = by_path_.find(std::string(path));
  return it == by_path_.end() ? nullptr : &it->second;
}

}  // namespace paperboy::web
