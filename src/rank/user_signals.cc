// UserSignals helpers and the community-store signal source.
#include "rank/user_signals.h"

#include <algorithm>

namespace paperboy::rank {

std::vector<std::string> UserSignals::positive_ids() const {
  std::vector<std::string> out = liked_ids;
  for (const auto& id : saved_ids) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

Result<UserSignals> CommunitySignals::signals(std::int64_t account_id) {
  UserSignals out;
  auto liked = community_.papers_voted_by(account_id, max_likes_);
  if (!liked) return fail(liked.error());
  out.liked_ids = std::move(*liked);
  return out;
}

}  // namespace paperboy::rank
