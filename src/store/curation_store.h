// CurationStore: what the community adds to the listings, apart from the papers themselves:
// papers submitted by accounts (listed on the day of submission, as Hugging Face's daily papers
// do) and curators' featured/hidden flags. Implementations: SQLite (the paper store's file,
// store/sqlite/sqlite_curation_store.h) and PostgreSQL (store/postgres/postgres_curation_store.h).
// Backend-neutral: no SQL types. record_submission is atomic (the first submission of a paper
// wins; later ones read it back). Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

// One paper submitted by an account. Only the account id is kept: the name shown beside the paper
// is looked up when a page is rendered, so deleting the account leaves nothing personal here.
struct Submission {
  std::string paper_id;  // canonical arXiv id
  std::int64_t account_id = 0;
  std::string listing_day;        // "YYYY-MM-DD" (UTC) of the submission: the listing that shows it
  std::int64_t submitted_at = 0;  // unix seconds
};

struct SubmissionOutcome {
  Submission submission;  // the stored one: ours, or the earlier one when the paper was submitted before
  bool is_new = false;
};

enum class CurationFlag { kFeatured, kHidden };

struct CurationFlags {
  bool is_featured = false;
  bool is_hidden = false;
};

class CurationStore {
 public:
  virtual ~CurationStore() = default;

  // Records the paper as submitted unless it already is; either way returns the stored submission.
  virtual Result<SubmissionOutcome> record_submission(const Submission& submission) = 0;
  virtual Result<std::optional<Submission>> get_submission(std::string_view paper_id) = 0;
  // Submissions whose listing day lies in [from_day, to_day] (inclusive), newest first.
  virtual Result<std::vector<Submission>> submissions_between(std::string_view from_day, std::string_view to_day) = 0;
  // The account's submissions, newest first, at most `limit`: its profile page.
  virtual Result<std::vector<Submission>> submissions_by(std::int64_t account_id, int limit) = 0;
  // The newest day with a submission ("" when there is none).
  virtual Result<std::string> newest_submission_day() = 0;

  // Sets or clears a flag, remembering which account changed it and when. `listing_day` is the day
  // whose listing shows the paper (its submission day, else its first version's day): featured
  // papers go first in that listing.
  virtual Status set_flag(std::string_view paper_id, std::string_view listing_day, CurationFlag flag, bool on,
                          std::int64_t account_id, std::int64_t now) = 0;
  // Flags of these papers (papers with no flag set are absent).
  virtual Result<std::unordered_map<std::string, CurationFlags>> flags_of(std::span<const std::string> paper_ids) = 0;
  // Every paper carrying the flag, ascending by id. Hidden papers stay few (curators remove spam
  // and mistakes), so listings, trending and feeds exclude them by id.
  virtual Result<std::vector<std::string>> flagged(CurationFlag flag) = 0;
  // Papers carrying the flag whose listing day lies in [from_day, to_day], ascending by id.
  virtual Result<std::vector<std::string>> flagged_between(CurationFlag flag, std::string_view from_day,
                                                           std::string_view to_day) = 0;

  // A number that grows with every submission and flag change made through this object: cache
  // validation for pages that show curated listings.
  virtual std::int64_t curation_generation() = 0;
};

}  // namespace paperboy::store
