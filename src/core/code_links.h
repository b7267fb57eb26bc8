// Links to code in a paper's free text (abstract, comments): what the cards' "Code" chip, the paper
// page, the exports and the search index's has:code filter share. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paperboy::core {

// Links to code found in free text (abstract, comments): GitHub, GitLab, Bitbucket, Hugging Face,
// Codeberg, SourceForge and paperswithcode URLs, trailing punctuation trimmed, duplicates dropped,
// in order of appearance.
[[nodiscard]] std::vector<std::string> find_code_links(std::string_view text);

}  // namespace paperboy::core
