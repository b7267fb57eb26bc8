#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <stdexcept>

#include "core/categories.h"
#include "web/embedded.h"
#include "web/html.h"

namespace paperboy::web {
namespace mustache = kainjow::mustache;

namespace {

// kainjow's set() and push_back() deep-copy their argument, which made building a page's data
// quadratic in its nesting (a card list was copied once per level). Children are moved in
// instead: operator[] for objects, assignment into placeholder elements for lists.
mustache::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data out(mustache::data::type::object);
      for (const auto& [k, v] : j.items()) out[k] = to_data(v);
      return out;
    }
    case nlohmann::json::value_t::array: {
      // Placeholders first (cheap to copy when the vector grows), then each filled in place;
      // list_value() is const only in the API, the elements are ours and not const.
      mustache::data out(mustache::data::type::list);
      for (size_t i = 0; i < j.size(); ++i) out.push_back(mustache::data(false));
      for (size_t i = 0; i < j.size(); ++i) {
        const_cast<mustache::data&>(out.list_value()[i]) = to_data(j[i]);
      }
      return out;
    }
    case nlohmann::json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      // An empty string is falsy so {{#field}} sections disappear for absent metadata.
      return s.empty() ? mustache::data(false) : mustache::data(s);
    }
    case nlohmann::json::value_t::boolean: return mustache::data(j.get<bool>());
    case nlohmann::json::value_t::null: return mustache::data(false);
    default: return mustache::data(j.dump());
  }
}

}  // namespace

// kainjow's render() is not const (it keeps error state), so templates must not be shared between
// threads. A lock per template serialised every page render under load; instead each thread
// compiles its own copy on first use (microseconds, once per thread and template). The key is the
// embedded template text, static for the life of the process, so copies outlive any Views.
namespace {

mustache::mustache& thread_template(std::string_view text) {
  thread_local std::unordered_map<const char*, std::unique_ptr<mustache::mustache>> compiled;
  auto& slot = compiled[text.data()];
  if (!slot) slot = std::make_unique<mustache::mustache>(std::string(text));
  return *slot;
}

}  // namespace

Views::Views(const Assets& assets) : assets_(assets) {
  for (const auto& f : embedded_files()) {
    if (!f.path.starts_with("templates/")) continue;
    std::string name(f.path.substr(10));
    name = name.substr(0, name.rfind('.'));
    mustache::mustache check{std::string(f.content)};
    if (!check.is_valid()) throw std::logic_error("template " + std::string(f.path) + ": " + check.error_message());
    templates_[name] = f.content;
  }
}

std::string Views::render_data(std::string_view name, const Data& data) const {
  auto it = templates_.find(std::string(name));
  if (it == templates_.end()) throw std::logic_error("no template " + std::string(name));
  return thread_template(it->second).render(data);
}

std::string Views::render(std::string_view name, const nlohmann::json& model) const {
  mustache::data data = to_data(model);
  return render_data(name, data);
}

std::string Views::page(std::string_view body_template, const nlohmann::json& model) const {
  // One conversion serves both renders: the layout sees the body's model plus the rendered body.
  mustache::data data = to_data(model);
  data["body"] = mustache::data(render_data(body_template, data));
  data["css_url"] = mustache::data(assets_.url_for("app.css"));
  data["app_js_url"] = mustache::data(assets_.url_for("app.js"));
  data["favicon_url"] = mustache::data(assets_.url_for("favicon.svg"));
  for (auto [key, url] :
       {std::pair{"katex_css_url", assets_.katex_css_url()}, std::pair{"katex_js_url", assets_.katex_js_url()},
        std::pair{"autorender_url", assets_.katex_autorender_url()}}) {
    data[key] = url.empty() ? mustache::data(false) : mustache::data(url);
  }
  return render_data("layout", data);
}

std::string author_path(const core::Author& author) {
  std::string path = "/authors/" + url_encode(author.keyname);
  if (!author.forenames.empty()) path += "?f=" + url_encode(author.forenames);
  return path;
}

nlohmann::json author_links(const core::Paper& paper, size_t max_names) {
  nlohmann::json out = nlohmann::json::array();
  size_t n = std::min(max_names, paper.authors.size());
  for (size_t i = 0; i < n; ++i) {
    out.push_back(
        {{"name", paper.authors[i].display_name()}, {"url", author_path(paper.authors[i])}, {"last", i + 1 == n}});
  }
  return out;
}

nlohmann::json category_links(const core::Paper& paper) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : paper.categories) {
    out.push_back({{"name", c}, {"label", core::category_label(c)}, {"url", "/categories/" + url_encode(c)}});
  }
  return out;
}

nlohmann::json code_link_models(const core::Paper& paper) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& url : find_code_links(paper.abstract + " " + paper.comments)) {
    std::string label = url.substr(url.find("//") + 2);
    if (label.size() > 48) label = label.substr(0, 45) + "...";
    out.push_back({{"url", url}, {"label", label}});
  }
  return out;
}

std::string thumbnail_path(std::string_view hash) {
  return "/thumbs/" + std::string(hash) + ".webp";
}

namespace {

// "3 comments", "1 comment", "0 comments"; "" when comments are off (the card then shows no link).
std::string comments_label(const VoteMarks* votes, const std::string& id) {
  if (votes == nullptr || !votes->has_comments) return "";
  std::int64_t n = votes->comment_count(id);
  return std::to_string(n) + (n == 1 ? " comment" : " comments");
}

// Who submitted the paper to the listing ("" when nobody did).
std::string submitter_of(const VoteMarks* votes, const std::string& id) {
  if (votes == nullptr) return "";
  auto it = votes->submitters.find(id);
  return it == votes->submitters.end() ? "" : it->second;
}

// The paper's thumbnail (an empty one when it has none).
const store::ThumbnailRef& thumbnail_of(const VoteMarks* marks, const std::string& id) {
  static const store::ThumbnailRef kNone;
  if (marks == nullptr) return kNone;
  auto it = marks->thumbnails.find(id);
  return it == marks->thumbnails.end() ? kNone : it->second;
}

// "/thumbs/HASH.webp", or "" when the paper has no thumbnail.
std::string thumbnail_url(const VoteMarks* marks, const std::string& id) {
  const auto& t = thumbnail_of(marks, id);
  return t.hash.empty() ? "" : thumbnail_path(t.hash);
}

// The paper's first code link (a card shows one "Code" chip; the paper page lists them all).
std::string first_code_link(const core::Paper& paper) {
  auto links = find_code_links(paper.abstract + " " + paper.comments);
  return links.empty() ? "" : links.front();
}

}  // namespace

std::string Views::cards(std::span<const store::StoredPaper> papers, const std::vector<std::string>& highlight,
                         const VoteMarks* votes, const std::vector<std::string>* notes) const {
  nlohmann::json list = nlohmann::json::array();
  constexpr size_t kAuthorsShown = 4;  // then "et al." (DESIGN.md: one line of authors)
  for (size_t i = 0; i < papers.size(); ++i) {
    const auto& p = papers[i].paper;
    std::string anchor;
    for (char c : p.id) anchor += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
    list.push_back({{"id", p.id},
                    {"anchor", anchor},
                    {"url", "/papers/" + p.id},
                    {"title_html", highlight_html(p.title, highlight)},
                    {"abstract_html", highlight_html(p.abstract, highlight)},
                    {"authors", author_links(p, kAuthorsShown)},
                    {"et_al", p.authors.size() > kAuthorsShown},
                    {"categories", category_links(p)},
                    {"day", p.listing_day()},
                    {"votes", std::to_string(votes != nullptr ? votes->count(p.id) : 0)},
                    {"is_voted", votes != nullptr && votes->voted.contains(p.id)},
                    {"is_featured", votes != nullptr && votes->featured.contains(p.id)},
                    {"can_save", votes != nullptr && votes->can_save},
                    {"is_saved", votes != nullptr && votes->saved.contains(p.id)},
                    {"comments_label", comments_label(votes, p.id)},
                    // The card shows an image only when there is one (never a broken image).
                    {"thumb_url", thumbnail_url(votes, p.id)},
                    {"thumb_width", thumbnail_of(votes, p.id).width},
                    {"thumb_height", thumbnail_of(votes, p.id).height},
                    {"submitter", submitter_of(votes, p.id)},
                    {"code_url", first_code_link(p)}});
    if (notes != nullptr && i < notes->size() && !(*notes)[i].empty()) list.back()["note"] = (*notes)[i];
  }
  return render("cards", {{"papers", list}});
}

}  // namespace paperboy::web
