// UserSignals: what one account has told us about its interests, the input of personal
// recommendations: papers it upvoted and saved, and the categories and authors it follows.
// UserSignalSource is where the signals come from; CommunitySignals reads upvotes from the
// community store and saves and follows from the library store. Thread-safe as the stores behind it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/community_store.h"
#include "store/library_store.h"

namespace paperboy::rank {

struct UserSignals {
  std::vector<std::string> liked_ids;            // upvoted papers, most recent first
  std::vector<std::string> saved_ids;            // saved papers (the library), most recent first
  std::vector<std::string> followed_categories;  // "cs.LG"
  std::vector<std::string> followed_authors;     // author keynames, as arXiv parses them

  // Papers the person showed interest in (liked, then saved; no duplicates).
  [[nodiscard]] std::vector<std::string> positive_ids() const;
  [[nodiscard]] bool is_empty() const {
    return liked_ids.empty() && saved_ids.empty() && followed_categories.empty() && followed_authors.empty();
  }
};

class UserSignalSource {
 public:
  virtual ~UserSignalSource() = default;
  [[nodiscard]] virtual Result<UserSignals> signals(std::int64_t account_id) = 0;
};

// Upvotes from the community store (the `max_likes` most recent); with a library store also the
// papers in the account's collections (the `max_likes` most recent) and its follows.
class CommunitySignals final : public UserSignalSource {
 public:
  explicit CommunitySignals(store::CommunityStore& community, store::LibraryStore* library = nullptr,
                            int max_likes = 200)
      : community_(community), library_(library), max_likes_(max_likes) {}
  [[nodiscard]] Result<UserSignals> signals(std::int64_t account_id) override;

 private:
  Status add_library_signals(std::int64_t account_id, UserSignals& out);

  store::CommunityStore& community_;
  store::LibraryStore* library_;
  int max_likes_;
};

}  // namespace paperboy::rank
