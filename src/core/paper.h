// The paper: Paperboy's central record, one per arXiv id across all its versions.
// Produced by every source (snapshot, OAI-PMH, arXiv API), stored by store/, read by everything
// above. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paperboy::core {

struct Author {
  std::string keyname;    // family name as arXiv parses it: "Hinton"
  std::string forenames;  // "Geoffrey E."
  std::string suffix;     // "Jr", often empty

  // "Geoffrey E. Hinton Jr"
  [[nodiscard]] std::string display_name() const;
  bool operator==(const Author&) const = default;
};

struct Version {
  int number = 0;            // 1 for v1
  std::int64_t created = 0;  // seconds since the Unix epoch, UTC
  bool operator==(const Version&) const = default;
};

struct Paper {
  std::string id;  // canonical arXiv id without version (see arxiv_id.h)
  std::string title;
  std::vector<Author> authors;  // in the order the paper lists them
  std::string abstract;
  std::vector<std::string> categories;  // primary first: "cs.LG", "stat.ML"
  // Optional metadata; empty means absent.
  std::string comments;
  std::string journal_ref;
  std::string doi;
  std::string report_no;
  std::string license;
  std::string submitter;
  std::vector<Version> versions;  // ascending by number, no duplicates
  std::string update_date;        // "YYYY-MM-DD" as the source reports it; may be empty

  [[nodiscard]] int latest_version() const { return versions.empty() ? 0 : versions.back().number; }
  // When v1 appeared (seconds, UTC); 0 when unknown.
  [[nodiscard]] std::int64_t first_version_time() const;
  // The listing day the paper belongs to: the UTC date of v1, "YYYY-MM-DD".
  [[nodiscard]] std::string listing_day() const;
  // The newest of update_date and the latest version's date, "YYYY-MM-DD".
  [[nodiscard]] std::string last_updated() const;
  [[nodiscard]] const std::string& primary_category() const;
  // Whether the paper carries any of `cats` (in any position); true when `cats` is empty.
  [[nodiscard]] bool in_any_category(const std::vector<std::string>& cats) const;
  // A stable 64-bit fingerprint of every metadata field: equal records hash equal across runs and
  // builds, so the store can tell "identical" from "changed" without a field-by-field compare.
  [[nodiscard]] std::uint64_t content_hash() const;

  bool operator==(const Paper&) const = default;
};

// Size limits of a paper's fields, far above anything arXiv has (its longest titles are a few
// hundred bytes, abstracts a few KB, author lists a few thousand names): a record beyond them is
// broken or hostile, and would make every page showing it slow.
inline constexpr size_t kMaxTitleBytes = 2000;
inline constexpr size_t kMaxAbstractBytes = 20000;
inline constexpr size_t kMaxFieldBytes = 4000;  // comments, journal-ref, doi, report-no, license, submitter
inline constexpr size_t kMaxAuthors = 10000;
inline constexpr size_t kMaxNameBytes = 500;  // one author name part, one category
inline constexpr size_t kMaxCategories = 100;
inline constexpr size_t kMaxVersions = 1000;

// Checks the invariants every stored paper satisfies: canonical id, non-empty title, at least one
// category, valid UTF-8 everywhere, versions ascending, the size limits above. Messages name the
// offending field ("field 'title' is 10485760 bytes, more than the 2000 allowed").
[[nodiscard]] Status validate_paper(const Paper& paper);

// Sorts versions by number and drops duplicate numbers (keeping the first seen).
void normalise_versions(std::vector<Version>& versions);

// Merges two version histories: the union by version number; where both know a version, `preferred`
// wins. Result ascending.
[[nodiscard]] std::vector<Version> merge_versions(const std::vector<Version>& preferred,
                                                  const std::vector<Version>& other);

}  // namespace paperboy::core
