// arXiv identifiers: parsing, validation and normalisation of what users and sources give us
// ("arXiv:2403.01234v2", "https://arxiv.org/abs/hep-th/9901001", "oai:arXiv.org:2403.01234").
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::core {

struct ArxivId {
  std::string id;        // canonical, without version: "2403.01234", "hep-th/9901001"
  int version = 0;       // the version given in the input, 0 when none was given
  bool is_old_style = false;

  // "2403.01234v2", or the bare id when no version was given.
  [[nodiscard]] std::string with_version() const;
  // "2403" for new style, "9901" for old style: the year and month the id was assigned.
  [[nodiscard]] std::string yymm() const;
};

// Accepts a bare id (new style YYMM.NNNN[N], old style archive[.SC]/YYMMNNN), optionally with a
// version suffix, an "arXiv:" prefix, an arxiv.org abs/pdf URL or an OAI identifier. Old-style
// subject classes are dropped ("math.GT/0309136" -> "math/0309136"), as arXiv itself does.
[[nodiscard]] Result<ArxivId> parse_arxiv_id(std::string_view input);

// True when `id` is already canonical (what the store keys papers by).
[[nodiscard]] bool is_canonical_arxiv_id(std::string_view id);

}  // namespace paperboy::core
