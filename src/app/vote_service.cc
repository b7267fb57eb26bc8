#include "app/vote_service.h"

#include "app/paper_lookup.h"

namespace paperboy::app {

VoteService::VoteService(store::Store& papers, store::CommunityStore& community)
    : papers_(papers), community_(community) {}

Result<VoteResult> VoteService::set_vote(const Account& by, std::string_view raw_paper, bool up, std::int64_t now) {
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  auto outcome = community_.set_vote(by.id, paper->id, paper->first_version_time(), up, now);
  if (!outcome) return fail(outcome.error());
  return VoteResult{.paper_id = paper->id, .upvotes = outcome->upvotes, .is_voted = outcome->is_voted};
}

Result<std::unordered_map<std::string, std::int64_t>> VoteService::counts(std::span<const std::string> paper_ids) {
  return community_.vote_counts(paper_ids);
}

Result<std::unordered_set<std::string>> VoteService::voted_among(const Account& who,
                                                                 std::span<const std::string> paper_ids) {
  return community_.voted_papers(who.id, paper_ids);
}

}  // namespace paperboy::app
