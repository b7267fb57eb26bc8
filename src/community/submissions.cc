#include "community/submissions.h"

#include "core/arxiv_id.h"
#include "core/time.h"

namespace paperboy::community {

SubmissionService::SubmissionService(store::Store& papers, store::CurationStore& curation, PaperLookup lookup,
                                     SubmissionOptions options)
    : papers_(papers),
      curation_(curation),
      lookup_(std::move(lookup)),
      options_(options),
      limiter_(options.per_account, options.window_s) {}

Result<core::Paper> SubmissionService::find(const std::string& canonical_id) {
  // A paper the store already has needs no request to arXiv (whose terms ask for few).
  auto stored = papers_.get_paper(canonical_id);
  if (!stored) return fail(stored.error());
  if (*stored) return std::move((*stored)->paper);
  if (!lookup_) return fail(Status::unavailable("paper look-up is not configured on this server"));
  return lookup_(canonical_id);
}

Result<SubmitOutcome> SubmissionService::submit(const store::Account& by, std::string_view id_or_url,
                                                std::int64_t now) {
  if (id_or_url.size() > 200) return fail(Status::invalid_argument("id: at most 200 characters"));
  auto id = core::parse_arxiv_id(id_or_url);
  if (!id) {
    return fail(Status::invalid_argument("'" + std::string(id_or_url) +
                                         "' is not an arXiv id or URL such as 2401.00001 or "
                                         "https://arxiv.org/abs/2401.00001"));
  }
  // Submitting a paper twice answers with the first submission and spends no rate-limit budget.
  auto earlier = curation_.get_submission(id->id);
  if (!earlier) return fail(earlier.error());
  if (*earlier) {
    auto paper = find(id->id);
    if (!paper) return fail(paper.error());
    return SubmitOutcome{std::move(*paper), std::move(**earlier), false};
  }
  if (!limiter_.allow("account:" + std::to_string(by.id), now)) {
    return fail(Status::rate_limited("at most " + std::to_string(options_.per_account) +
                                     " submissions per account every " + std::to_string(options_.window_s / 60) +
                                     " minutes; try again later"));
  }
  auto paper = find(id->id);
  if (!paper) return fail(paper.error());
  std::int64_t age_days = (now - paper->first_version_time()) / 86400;
  if (now - paper->first_version_time() > static_cast<std::int64_t>(options_.max_age_days) * 86400) {
    return fail(Status::invalid_argument("arXiv:" + paper->id + " was first published on " + paper->listing_day() +
                                         ", " + std::to_string(age_days) + " days ago; only papers at most " +
                                         std::to_string(options_.max_age_days) + " days old can be submitted"));
  }
  auto applied = papers_.apply({.papers = {*paper}});
  if (!applied) return fail(applied.error().with_context("storing arXiv:" + paper->id));
  auto recorded = curation_.record_submission({paper->id, by.id, core::format_iso_date(now), now});
  if (!recorded) return fail(recorded.error());
  return SubmitOutcome{std::move(*paper), std::move(recorded->submission), recorded->is_new};
}

}  // namespace paperboy::community
