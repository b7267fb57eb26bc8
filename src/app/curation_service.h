// CurationService: curators' say over the listings: featuring a paper (first in the listing that
// shows it: its submission day, else arXiv's) and hiding one (from every listing, feed and
// trending page), and undoing either. Only curators and admins may. Pages and the API call this;
// it knows nothing about HTTP. Also what listings and paper pages show of curation: a paper's
// submission and submitter, and its flags. Thread-safe (the stores are).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/store.h"

namespace paperboy::app {

enum class CurationAction { kFeature, kUnfeature, kHide, kUnhide };

// A member's submission of a paper, with the submitter's name (nullopt when the account is gone).
struct Submitted {
  store::Submission submission;
  std::optional<std::string> submitter_name;
};

// "feature" | "unfeature" | "hide" | "unhide"; invalid_argument otherwise.
[[nodiscard]] Result<CurationAction> parse_curation_action(std::string_view name);

class CurationService {
 public:
  CurationService(store::Store& papers, store::CurationStore& curation, store::CommunityStore& community)
      : papers_(papers), curation_(curation), community_(community) {}

  // Curators and admins.
  [[nodiscard]] static bool may_curate(const store::Account& who);

  // Applies `action` to the paper `raw_id` names (any arXiv id form); the paper's flags afterwards.
  // permission_denied unless `by` is a curator or admin; invalid_argument / not_found for the id.
  [[nodiscard]] Result<store::CurationFlags> curate(const store::Account& by, std::string_view raw_id,
                                                    CurationAction action, std::int64_t now);
  // The submission of a paper (canonical id), if a member submitted it.
  [[nodiscard]] Result<std::optional<Submitted>> submitted(const std::string& paper_id);
  // The flags of these papers (canonical ids); papers without flags are absent.
  [[nodiscard]] Result<std::unordered_map<std::string, store::CurationFlags>> flags_of(
      std::span<const std::string> paper_ids);

 private:
  store::Store& papers_;
  store::CurationStore& curation_;
  store::CommunityStore& community_;
};

}  // namespace paperboy::app
