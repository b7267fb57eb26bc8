#include "core/paper.h"

#include <xxhash.h>

#include <algorithm>

#include "core/arxiv_id.h"
#include "core/text.h"
#include "core/time.h"

namespace paperboy::core {

std::string Author::display_name() const {
  std::string out = forenames;
  if (!keyname.empty()) {
    if (!out.empty()) out += ' ';
    out += keyname;
  }
  if (!suffix.empty()) {
    out += ' ';
    out += suffix;
  }
  return out;
}

std::int64_t Paper::first_version_time() const {
  for (const auto& v : versions) {
    if (v.number == 1) return v.created;
  }
  return versions.empty() ? 0 : versions.front().created;
}

std::string Paper::listing_day() const {
  std::int64_t t = first_version_time();
  if (t != 0 || !versions.empty()) return format_iso_date(t);
  return update_date;
}

std::string Paper::last_updated() const {
  std::string latest = versions.empty() ? std::string() : format_iso_date(versions.back().created);
  return std::max(latest, update_date);
}

const std::string& Paper::primary_category() const {
  static const std::string kNone;
  return categories.empty() ? kNone : categories.front();
}

bool Paper::in_any_category(const std::vector<std::string>& cats) const {
  if (cats.empty()) return true;
  return std::ranges::any_of(categories,
                             [&](const std::string& c) { return std::ranges::find(cats, c) != cats.end(); });
}

namespace {

// XXH3 (libxxhash) over length-prefixed fields, so ("ab","c") != ("a","bc"). The value is
// persisted, so it must come from a fixed algorithm, not the standard library's std::hash.
class Fingerprint {
 public:
  Fingerprint() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~Fingerprint() { XXH3_freeState(state_); }
  Fingerprint(const Fingerprint&) = delete;
  Fingerprint& operator=(const Fingerprint&) = delete;
  void add(std::string_view s) {
    add_u64(s.size());
    XXH3_64bits_update(state_, s.data(), s.size());
  }
  void add_u64(std::uint64_t v) { XXH3_64bits_update(state_, &v, sizeof v); }
  std::uint64_t value() const { return XXH3_64bits_digest(state_); }

 private:
  XXH3_state_t* state_;
};

}  // namespace

std::uint64_t Paper::content_hash() const {
  Fingerprint f;
  f.add(id);
  f.add(title);
  f.add_u64(authors.size());
  for (const auto& a : authors) {
    f.add(a.keyname);
    f.add(a.forenames);
    f.add(a.suffix);
  }
  f.add(abstract);
  f.add_u64(categories.size());
  for (const auto& c : categories) f.add(c);
  f.add(comments);
  f.add(journal_ref);
  f.add(doi);
  f.add(report_no);
  f.add(license);
  f.add(submitter);
  f.add_u64(versions.size());
  for (const auto& v : versions) {
    f.add_u64(static_cast<std::uint64_t>(v.number));
    f.add_u64(static_cast<std::uint64_t>(v.created));
  }
  f.add(update_date);
  return f.value();
}

Status validate_paper(const Paper& paper) {
  if (paper.id.empty()) return Status::invalid_argument("field 'id' missing");
  if (!is_canonical_arxiv_id(paper.id)) {
    return Status::invalid_argument("field 'id': '" + paper.id + "' is not a canonical arXiv id");
  }
  if (paper.title.empty()) return Status::invalid_argument("field 'title' missing or empty");
  if (paper.categories.empty()) return Status::invalid_argument("field 'categories' missing or empty");
  auto check = [](std::string_view field, std::string_view value, size_t max_bytes = kMaxFieldBytes) -> Status {
    if (value.size() > max_bytes) {
      return Status::invalid_argument("field '" + std::string(field) + "' is " + std::to_string(value.size()) +
                                      " bytes, more than the " + std::to_string(max_bytes) + " allowed");
    }
    if (!is_valid_utf8(value)) return Status::invalid_argument("field '" + std::string(field) + "' is not valid UTF-8");
    return Status::ok();
  };
  PB_RETURN_IF_ERROR(check("title", paper.title, kMaxTitleBytes));
  PB_RETURN_IF_ERROR(check("abstract", paper.abstract, kMaxAbstractBytes));
  PB_RETURN_IF_ERROR(check("comments", paper.comments));
  PB_RETURN_IF_ERROR(check("journal-ref", paper.journal_ref));
  PB_RETURN_IF_ERROR(check("doi", paper.doi));
  PB_RETURN_IF_ERROR(check("report-no", paper.report_no));
  PB_RETURN_IF_ERROR(check("license", paper.license));
  PB_RETURN_IF_ERROR(check("submitter", paper.submitter));
  PB_RETURN_IF_ERROR(check("update_date", paper.update_date, 32));
  if (paper.authors.size() > kMaxAuthors) {
    return Status::invalid_argument("field 'authors' has " + std::to_string(paper.authors.size()) +
                                    " names, more than the " + std::to_string(kMaxAuthors) + " allowed");
  }
  for (const auto& a : paper.authors) {
    PB_RETURN_IF_ERROR(check("authors", a.keyname, kMaxNameBytes));
    PB_RETURN_IF_ERROR(check("authors", a.forenames, kMaxNameBytes));
    PB_RETURN_IF_ERROR(check("authors", a.suffix, kMaxNameBytes));
  }
  if (paper.categories.size() > kMaxCategories || paper.versions.size() > kMaxVersions) {
    return Status::invalid_argument("fields 'categories'/'versions': more than " + std::to_string(kMaxCategories) +
                                    " categories or " + std::to_string(kMaxVersions) + " versions");
  }
  for (const auto& c : paper.categories) {
    PB_RETURN_IF_ERROR(check("categories", c, kMaxNameBytes));
    if (c.empty() || c.find(' ') != std::string::npos)
      return Status::invalid_argument("field 'categories': bad category");
    PB_RETURN_IF_ERROR(check("categories", c));
  }
  for (size_t i = 0; i < paper.versions.size(); ++i) {
    if (paper.versions[i].number < 1) return Status::invalid_argument("field 'versions': version numbers start at 1");
    if (i > 0 && paper.versions[i].number <= paper.versions[i - 1].number) {
      return Status::invalid_argument("field 'versions': not ascending");
    }
  }
  return Status::ok();
}

void normalise_versions(std::vector<Version>& versions) {
  std::stable_sort(versions.begin(), versions.end(),
                   [](const Version& a, const Version& b) { return a.number < b.number; });
  versions.erase(std::unique(versions.begin(), versions.end(),
                             [](const Version& a, const Version& b) { return a.number == b.number; }),
                 versions.end());
}

std::vector<Version> merge_versions(const std::vector<Version>& preferred, const std::vector<Version>& other) {
  std::vector<Version> out = preferred;
  out.insert(out.end(), other.begin(), other.end());
  normalise_versions(out);
  return out;
}

}  // namespace paperboy::core
