#include "core/code_links.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace paperboy::core {

std::vector<std::string> find_code_links(std::string_view text) {
  static constexpr std::array<std::string_view, 8> kHosts = {"github.com/",         "gitlab.com/",   "bitbucket.org/",
                                                             "huggingface.co/",     "codeberg.org/", "sourceforge.net/",
                                                             "paperswithcode.com/", "github.io/"};
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("http", pos)) != std::string_view::npos) {
    size_t end = pos;
    // A URL ends at whitespace or a character that cannot appear unescaped in one (RFC 3986 §2).
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"' &&
           text[end] != '<' && text[end] != '>' && text[end] != '}' && text[end] != '{' && text[end] != '\\') {
      ++end;
    }
    std::string url(text.substr(pos, end - pos));
    pos = end;
    while (!url.empty() && std::string_view(".,;:)]'").find(url.back()) != std::string_view::npos) url.pop_back();
    if (!url.starts_with("http://") && !url.starts_with("https://")) continue;
    bool is_code = std::any_of(kHosts.begin(), kHosts.end(), [&](std::string_view h) {
      size_t at = url.find(h);
      return at != std::string::npos && at + h.size() < url.size();
    });
    if (is_code && std::find(out.begin(), out.end(), url) == out.end()) out.push_back(std::move(url));
  }
  return out;
}

}  // namespace paperboy::core
