// Invariants shared by the fuzz targets and their replay test (tests/fuzz/replay_test.cc): what
// every parser's output must satisfy beyond "did not crash". Each check returns an empty string
// when the invariant holds, else what broke; the fuzz targets abort on a non-empty answer, the
// replay test reports it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/paper.h"

namespace paperboy::fuzz {

// A paper a parser produced: validate_paper() holds, its JSON form (what the API and CLI print)
// serialises without throwing, and the derived dates can be computed.
[[nodiscard]] std::string check_paper(const core::Paper& paper);

// The sanitiser's invariant for rendered markdown: only the tags the renderer makes, only known
// attributes (no event handlers), every href empty or a safe link, no raw `<script`.
[[nodiscard]] std::string check_safe_html(std::string_view html);

// The property each target checks for one input; the replay test calls the same functions.
[[nodiscard]] std::string check_snapshot_record(std::string_view input);
[[nodiscard]] std::string check_oai_pmh_page(std::string_view input);
[[nodiscard]] std::string check_arxiv_atom(std::string_view input);
[[nodiscard]] std::string check_markdown(std::string_view input);
[[nodiscard]] std::string check_arxiv_id(std::string_view input);
[[nodiscard]] std::string check_config(std::string_view input);

}  // namespace paperboy::fuzz
