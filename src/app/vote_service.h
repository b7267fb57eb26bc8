// VoteService: upvotes on papers, with their rules: only papers this server has can be voted for
// (any arXiv id form names one), an account votes once per paper, and a vote carries the paper's
// first-version time, which the trending score weighs by. The web API and card lists call this,
// never the CommunityStore's vote tables. Knows nothing about HTTP. Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/status.h"
#include "store/community_store.h"
#include "store/store.h"

namespace paperboy::app {

using Account = store::Account;

struct VoteResult {
  std::string paper_id;      // canonical, without version
  std::int64_t upvotes = 0;  // the paper's count after the change
  bool is_voted = false;     // whether the account now votes for the paper
};

class VoteService {
 public:
  VoteService(store::Store& papers, store::CommunityStore& community);

  // up=true adds the account's vote unless it is there; up=false removes it. Errors:
  // invalid_argument (not an arXiv id), not_found (a paper this server does not have).
  [[nodiscard]] Result<VoteResult> set_vote(const Account& by, std::string_view paper, bool up, std::int64_t now);
  // Vote counts for these papers (papers without votes are absent).
  [[nodiscard]] Result<std::unordered_map<std::string, std::int64_t>> counts(std::span<const std::string> paper_ids);
  // Which of these papers the account votes for.
  [[nodiscard]] Result<std::unordered_set<std::string>> voted_among(const Account& who,
                                                                    std::span<const std::string> paper_ids);

 private:
  store::Store& papers_;
  store::CommunityStore& community_;
};

}  // namespace paperboy::app
