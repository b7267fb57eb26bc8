// Turns paper text into the terms the vector encoder counts: lower-cased ASCII letters and
// digits, stop words dropped, a light English suffix stemmer, LaTeX commands skipped. Used by the
// LSA encoder (training and queries) and by the similarity evaluation. The lexical index uses
// SQLite's own tokenizer instead. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperboy::search {

// The terms of `text`, in order (duplicates kept).
[[nodiscard]] std::vector<std::string> analyze(std::string_view text);

// The text of a paper the encoder sees: the title counts twice, as titles are dense.
[[nodiscard]] std::string encoder_text(std::string_view title, std::string_view abstract);

}  // namespace paperboy::search
