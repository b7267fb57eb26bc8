#include "core/paper_json.h"

#include "core/time.h"

namespace paperboy::core {

nlohmann::json paper_to_json(const Paper& p) {
  using nlohmann::json;
  json authors = json::array();
  for (const auto& a : p.authors) {
    authors.push_back({{"name", a.display_name()}, {"keyname", a.keyname}, {"forenames", a.forenames}, {"suffix", a.suffix}});
  }
  json versions = json::array();
  for (const auto& v : p.versions) versions.push_back({{"version", v.number}, {"created", format_iso_datetime(v.created)}});
  auto optional = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {
      {"id", p.id},
      {"title", p.title},
      {"authors", std::move(authors)},
      {"abstract", p.abstract},
      {"categories", p.categories},
      {"primary_category", p.primary_category()},
      {"comments", optional(p.comments)},
      {"journal_ref", optional(p.journal_ref)},
      {"doi", optional(p.doi)},
      {"report_no", optional(p.report_no)},
      {"license", optional(p.license)},
      {"versions", std::move(versions)},
      {"published", p.first_version_time() != 0 || !p.versions.empty() ? json(format_iso_datetime(p.first_version_time())) : json(nullptr)},
      {"listing_day", p.listing_day()},
      {"updated", p.last_updated()},
      {"abs_url", "https://arxiv.org/abs/" + p.id},
      {"pdf_url", "https://arxiv.org/pdf/" + p.id},
  };
}

}  // namespace paperboy::core
