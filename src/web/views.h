// Views: renders the mustache templates (templates/*.mustache, compiled into the binary) from
// view models built as JSON, wraps page bodies in the site layout, and turns papers into the card
// model every listing shares. Mustache escapes {{...}} for HTML; only fields named *_html (built
// with escape_html/highlight_html) are inserted raw with {{{...}}}. Thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "store/thumbnail_store.h"
#include "web/assets.h"

namespace kainjow::mustache {
template <typename StringType>
class basic_data;
}  // namespace kainjow::mustache

namespace paperboy::web {

// Upvote counts, the viewer's own votes and the papers curators featured, for a card list.
struct VoteMarks {
  std::unordered_map<std::string, std::int64_t> counts;
  std::unordered_set<std::string> voted;
  std::unordered_set<std::string> featured;
  // Papers in the viewer's default "Saved" collection; `can_save`: cards show the save toggle.
  std::unordered_set<std::string> saved;
  bool can_save = false;
  bool has_comments = false;                                        // comments are on: cards show their count, even 0
  std::unordered_map<std::string, std::int64_t> comments;           // comment counts (absent: none)
  std::unordered_map<std::string, std::string> submitters;          // who submitted the paper (absent: nobody)
  std::unordered_map<std::string, store::ThumbnailRef> thumbnails;  // first-page images (absent: none yet)
  [[nodiscard]] std::int64_t comment_count(const std::string& id) const {
    auto it = comments.find(id);
    return it == comments.end() ? 0 : it->second;
  }
  [[nodiscard]] std::int64_t count(const std::string& id) const {
    auto it = counts.find(id);
    return it == counts.end() ? 0 : it->second;
  }
};

class Views {
 public:
  // Fails (throws std::logic_error, a build bug) when an embedded template does not parse.
  explicit Views(const Assets& assets);

  // Renders templates/<name>.mustache with `model`.
  [[nodiscard]] std::string render(std::string_view name, const nlohmann::json& model) const;
  // Renders the body template, then the layout around it. `model["title"]` names the page.
  [[nodiscard]] std::string page(std::string_view body_template, const nlohmann::json& model) const;
  // The card list (templates/cards.mustache) for papers; `highlight` terms are marked in titles
  // and abstracts. `votes` may be null; `notes` (one line per paper, such as why it is
  // recommended) may be null.
  [[nodiscard]] std::string cards(std::span<const store::StoredPaper> papers,
                                  const std::vector<std::string>& highlight = {}, const VoteMarks* votes = nullptr,
                                  const std::vector<std::string>* notes = nullptr) const;

 private:
  using Data = kainjow::mustache::basic_data<std::string>;
  [[nodiscard]] std::string render_data(std::string_view name, const Data& data) const;
  const Assets& assets_;
  // Template text by name ("cards"), embedded in the binary; compiled per thread when rendered.
  std::unordered_map<std::string, std::string_view> templates_;
};

// The paper's authors for templates: [{"name", "url", "last"}], at most `max_names`.
[[nodiscard]] nlohmann::json author_links(const core::Paper& paper, size_t max_names);
// [{"name", "label", "url"}] for the paper's categories: name is the code ("cs.LG"), label the
// taxonomy's name ("Machine Learning", core/categories.h).
[[nodiscard]] nlohmann::json category_links(const core::Paper& paper);
// [{"url", "label"}] for code links in the abstract and comments.
[[nodiscard]] nlohmann::json code_link_models(const core::Paper& paper);
// "/thumbs/HASH.webp": where the web server serves the thumbnail image with this content hash.
[[nodiscard]] std::string thumbnail_path(std::string_view hash);
// "/authors/Keyname?f=Forenames"
[[nodiscard]] std::string author_path(const core::Author& author);

}  // namespace paperboy::web
