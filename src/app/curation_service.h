// CurationService: curators' say over the listings: featuring a paper (first in the listing that
// shows it: its submission day, else arXiv's) and hiding one (from every listing, feed and
// trending page), and undoing either. Only curators and admins may. Pages and the API call this;
// it knows nothing about HTTP. Thread-safe (the stores are).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/store.h"

namespace paperboy::app {

enum class CurationAction { kFeature, kUnfeature, kHide, kUnhide };

// "feature" | "unfeature" | "hide" | "unhide"; invalid_argument otherwise.
[[nodiscard]] Result<CurationAction> parse_curation_action(std::string_view name);

class CurationService {
 public:
  CurationService(store::Store& papers, store::CurationStore& curation) : papers_(papers), curation_(curation) {}

  // Applies `action` to the paper `raw_id` names (any arXiv id form); the paper's flags afterwards.
  // permission_denied unless `by` is a curator or admin; invalid_argument / not_found for the id.
  [[nodiscard]] Result<store::CurationFlags> curate(const store::Account& by, std::string_view raw_id,
                                                    CurationAction action, std::int64_t now);

 private:
  store::Store& papers_;
  store::CurationStore& curation_;
};

}  // namespace paperboy::app
