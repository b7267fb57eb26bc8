// SubmissionService: "submit a paper" by arXiv id or URL, as Hugging Face's daily papers do. The
// paper is looked up (the store first, then the injected arXiv lookup), upserted into the Store,
// and recorded as submitted by the account on the day of submission, whose listing then shows it.
// Papers older than `max_age_days` are refused; a paper submitted before answers with the first
// submission (idempotent). Per-account rate limit. Knows nothing about HTTP. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "community/rate_limiter.h"
#include "core/paper.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/store.h"

namespace paperboy::community {

struct SubmissionOptions {
  // A paper whose first version is older than this many days (at submission time) is refused.
  int max_age_days = 14;
  // Submissions one account may make per window (repeats of an already submitted paper count not).
  int per_account = 10;
  std::int64_t window_s = 3600;
};

// Looks a paper up by canonical arXiv id (ingest::ArxivApiClient::fetch_paper in `serve`):
// kNotFound when arXiv has no such paper, kUnavailable when arXiv cannot be reached.
using PaperLookup = std::function<Result<core::Paper>(std::string_view canonical_id)>;

struct SubmitOutcome {
  core::Paper paper;
  store::Submission submission;
  bool is_new = false;  // false: the paper was submitted before (`submission` is that one)
};

class SubmissionService {
 public:
  SubmissionService(store::Store& papers, store::CurationStore& curation, PaperLookup lookup,
                    SubmissionOptions options);

  // Errors: kInvalidArgument (not an arXiv id, or older than max_age_days: the message gives the
  // age and the limit), kNotFound (arXiv has no such paper), kRateLimited,
  // kUnavailable (arXiv unreachable).
  [[nodiscard]] Result<SubmitOutcome> submit(const store::Account& by, std::string_view id_or_url, std::int64_t now);

  [[nodiscard]] const SubmissionOptions& options() const { return options_; }

 private:
  Result<core::Paper> find(const std::string& canonical_id);

  store::Store& papers_;
  store::CurationStore& curation_;
  PaperLookup lookup_;
  SubmissionOptions options_;
  RateLimiter limiter_;
};

}  // namespace paperboy::community
