// Finding the paper a user named: any arXiv id form ("2403.01234v2", "arXiv:hep-th/9901001") is
// parsed and looked up in the paper store. Used by the application services and by routes that
// show one paper. Stateless: as thread-safe as the store.
#pragma once

#include <string_view>

#include "core/paper.h"
#include "core/status.h"
#include "store/store.h"

namespace paperboy::app {

// The stored paper for a user-given id (with or without version): invalid_argument when it is not
// an arXiv id, not_found when this server does not have the paper.
[[nodiscard]] Result<core::Paper> find_paper(store::Store& store, std::string_view raw_id);

}  // namespace paperboy::app
