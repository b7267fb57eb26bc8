// Reads a JSON-lines file, plain or zstd-compressed (by the ".zst" suffix), line by line with
// constant memory. Used by `paperboy eval similar` to read the training corpus and the evaluation
// files, and by the search benchmarks. Not a replacement for ingest (no validation, no store).
// One reader per thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paperboy::search {

// Calls `on_line(line_number, line)` for every non-empty line; stops early when it returns false.
[[nodiscard]] Status for_each_line(const std::string& path,
                                   const std::function<bool(long line_number, std::string_view line)>& on_line);

}  // namespace paperboy::search
