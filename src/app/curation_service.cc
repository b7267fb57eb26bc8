#include "app/curation_service.h"

#include <string>
#include <vector>

#include "app/paper_lookup.h"

namespace paperboy::app {

Result<CurationAction> parse_curation_action(std::string_view name) {
  if (name == "feature") return CurationAction::kFeature;
  if (name == "unfeature") return CurationAction::kUnfeature;
  if (name == "hide") return CurationAction::kHide;
  if (name == "unhide") return CurationAction::kUnhide;
  return fail(
      Status::invalid_argument("action: expected feature, unfeature, hide or unhide, got '" + std::string(name) + "'"));
}

bool CurationService::may_curate(const store::Account& who) {
  return store::is_moderator(who.role);
}

Result<std::optional<Submitted>> CurationService::submitted(const std::string& paper_id) {
  auto submission = curation_.get_submission(paper_id);
  if (!submission) return fail(submission.error());
  if (!*submission) return std::optional<Submitted>();
  Submitted out{.submission = std::move(**submission), .submitter_name = std::nullopt};
  auto account = community_.get_account(out.submission.account_id);
  if (!account) return fail(account.error());
  if (*account) out.submitter_name = (*account)->account.name;
  return std::optional<Submitted>(std::move(out));
}

Result<std::unordered_map<std::string, store::CurationFlags>> CurationService::flags_of(
    std::span<const std::string> paper_ids) {
  return curation_.flags_of(paper_ids);
}

Result<store::CurationFlags> CurationService::curate(const store::Account& by, std::string_view raw_id,
                                                     CurationAction action, std::int64_t now) {
  if (!may_curate(by)) {
    return fail(Status::permission_denied("only curators and admins can feature or hide papers"));
  }
  auto paper = find_paper(papers_, raw_id);
  if (!paper) return fail(paper.error());
  // A featured paper goes first in the listing that shows it: its submission day, else arXiv's.
  auto submission = curation_.get_submission(paper->id);
  if (!submission) return fail(submission.error());
  std::string day = *submission ? (*submission)->listing_day : paper->listing_day();
  bool on = action == CurationAction::kFeature || action == CurationAction::kHide;
  auto flag = action == CurationAction::kFeature || action == CurationAction::kUnfeature
                  ? store::CurationFlag::kFeatured
                  : store::CurationFlag::kHidden;
  if (Status s = curation_.set_flag(paper->id, day, flag, on, by.id, now); !s.is_ok()) return fail(s);
  std::vector<std::string> ids = {paper->id};
  auto flags = curation_.flags_of(ids);
  if (!flags) return fail(flags.error());
  auto it = flags->find(paper->id);
  return it == flags->end() ? store::CurationFlags{} : it->second;
}

}  // namespace paperboy::app
