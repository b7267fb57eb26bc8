// ProfileService: a member's public profile page: the name they chose, when they joined, their
// public collections, their newest comments (with the papers' titles) and the papers they
// submitted. Never their e-mail, private collections, votes or follows. A profile is found by
// account id or by display name (names are not unique: a name finds its oldest account). Knows
// nothing about HTTP. Thread-safe (the stores are).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/library_store.h"
#include "store/store.h"

namespace paperboy::app {

// A comment as the profile lists it: with the paper's title ("" when the paper is gone).
struct ProfileComment {
  store::Comment comment;
  std::string paper_title;
};

struct ProfileSubmission {
  store::Submission submission;
  std::string paper_title;
};

struct MemberProfile {
  std::int64_t id = 0;
  std::string name;
  std::int64_t joined_at = 0;
  std::vector<store::Collection> public_collections;  // by name
  std::vector<ProfileComment> comments;               // newest first, at most kCommentsShown
  std::vector<ProfileSubmission> submissions;         // newest first, at most kSubmissionsShown
};

class ProfileService {
 public:
  static constexpr int kCommentsShown = 50;
  static constexpr int kSubmissionsShown = 50;

  // `curation` may be null (no submissions then).
  ProfileService(store::Store& papers, store::CommunityStore& accounts, store::LibraryStore& library,
                 store::CurationStore* curation)
      : papers_(papers), accounts_(accounts), library_(library), curation_(curation) {}

  // `ref` is a decimal account id or a display name; not_found when no account matches (also for
  // empty or over-long refs). Papers curators hid are left out of the submissions.
  [[nodiscard]] Result<MemberProfile> profile(std::string_view ref);

 private:
  Result<std::optional<store::Account>> find(std::string_view ref);
  Result<std::string> paper_title(const std::string& paper_id);

  store::Store& papers_;
  store::CommunityStore& accounts_;
  store::LibraryStore& library_;
  store::CurationStore* curation_;
};

}  // namespace paperboy::app
