#include "search/snapshot_loader.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

#include "core/text.h"
#include "core/time.h"
#include "search/jsonl_reader.h"

namespace paperboy::bench {
namespace {

std::string text_of(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? core::collapse_whitespace(it->get<std::string>()) : std::string();
}

}  // namespace

Result<std::vector<core::Paper>> read_snapshot_papers(const std::string& path, long limit) {
  std::vector<core::Paper> papers;
  Status s = search::for_each_line(path, [&](long, std::string_view line) {
    auto o = nlohmann::json::parse(line, nullptr, false);
    if (!o.is_object()) return true;
    core::Paper p;
    p.id = text_of(o, "id");
    p.title = text_of(o, "title");
    p.abstract = text_of(o, "abstract");
    std::istringstream cats(text_of(o, "categories"));
    for (std::string c; cats >> c;) p.categories.push_back(c);
    if (auto it = o.find("authors_parsed"); it != o.end() && it->is_array()) {
      for (const auto& a : *it) {
        core::Author au;
        if (a.size() > 0 && a[0].is_string()) au.keyname = a[0].get<std::string>();
        if (a.size() > 1 && a[1].is_string()) au.forenames = a[1].get<std::string>();
        if (a.size() > 2 && a[2].is_string()) au.suffix = a[2].get<std::string>();
        p.authors.push_back(std::move(au));
      }
    }
    if (auto it = o.find("versions"); it != o.end() && it->is_array()) {
      for (const auto& v : *it) {
        core::Version ver;
        std::string num = v.value("version", "v1");
        ver.number = num.size() > 1 ? std::atoi(num.c_str() + 1) : 1;
        ver.created = core::parse_rfc2822(v.value("created", "")).value_or(0);
        p.versions.push_back(ver);
      }
      core::normalise_versions(p.versions);
    }
    p.update_date = text_of(o, "update_date");
    if (core::validate_paper(p).is_ok()) papers.push_back(std::move(p));
    return limit <= 0 || std::cmp_less(papers.size(), limit);
  });
  if (!s.is_ok()) return fail(s);
  return papers;
}

Status store_papers(store::Store& store, const std::vector<core::Paper>& papers, size_t batch) {
  for (size_t i = 0; i < papers.size(); i += batch) {
    store::WriteBatch wb;
    wb.papers.assign(papers.begin() + static_cast<std::ptrdiff_t>(i),
                     papers.begin() + static_cast<std::ptrdiff_t>(std::min(papers.size(), i + batch)));
    auto r = store.apply(wb);
    if (!r) return r.error();
  }
  return Status::ok();
}

std::string shared_corpus_path() {
  auto p = std::filesystem::path(PAPERBOY_SOURCE_DIR) / ".." / "shared" / "corpus" / "arxiv-cs-141k.jsonl.zst";
  return std::filesystem::exists(p) ? p.lexically_normal().string() : std::string();
}

}  // namespace paperboy::bench
