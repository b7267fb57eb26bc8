// UserSignals helpers and the community-store signal source.
#include "rank/user_signals.h"

#include <algorithm>
#include <utility>

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
  if (library_ != nullptr) {
    if (Status st = add_library_signals(account_id, out); !st.is_ok()) return fail(st);
  }
  return out;
}

Status CommunitySignals::add_library_signals(std::int64_t account_id, UserSignals& out) {
  auto collections = library_->collections_of(account_id);
  if (!collections) return collections.error();
  std::vector<store::CollectionEntry> saved;
  for (const auto& c : *collections) {
    auto entries = library_->collection_entries(c.id, max_likes_, 0);
    if (!entries) return entries.error();
    saved.insert(saved.end(), entries->begin(), entries->end());
  }
  std::ranges::stable_sort(saved, [](const auto& a, const auto& b) { return a.added_at > b.added_at; });
  for (const auto& e : saved) {
    if (std::cmp_greater_equal(out.saved_ids.size(), max_likes_)) break;
    if (std::ranges::find(out.saved_ids, e.paper_id) == out.saved_ids.end()) out.saved_ids.push_back(e.paper_id);
  }
  auto follows = library_->follows_of(account_id);
  if (!follows) return follows.error();
  for (const auto& f : *follows) {
    if (f.kind == store::FollowKind::kCategory) out.followed_categories.push_back(f.value);
    // Authors are followed as "Keyname|Forenames"; the model matches keynames.
    if (f.kind == store::FollowKind::kAuthor) out.followed_authors.push_back(f.value.substr(0, f.value.find('|')));
  }
  return Status::ok();
}

}  // namespace paperboy::rank
