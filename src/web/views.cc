#include "web/views.h"

#include <kainjow/mustache.hpp>

#include <stdexcept>

#include "web/embedded.h"
#include "web/html.h"

namespace paperboy::web {
namespace mustache = kainjow::mustache;

namespace {

mustache::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data out(mustache::data::type::object);
      for (const auto& [k, v] : j.items()) out.set(k, to_data(v));
      return out;
    }
    case nlohmann::json::value_t::array: {
      mustache::data out(mustache::data::type::list);
      for (const auto& v : j) out.push_back(to_data(v));
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

// kainjow's render() is not const; one mutex per template keeps concurrent requests apart.
// Rendered pages are cached by the server, so this lock is rarely contended.
struct Views::Compiled {
  std::mutex mu;
  mustache::mustache tpl;
  explicit Compiled(const std::string& text) : tpl(text) {}
};

Views::Views(const Assets& assets) : assets_(assets) {
  for (const auto& f : embedded_files()) {
    if (!f.path.starts_with("templates/")) continue;
    std::string name(f.path.substr(10));
    name = name.substr(0, name.rfind('.'));
    auto compiled = std::make_unique<Compiled>(std::string(f.content));
    if (!compiled->tpl.is_valid()) {
      throw std::logic_error("template " + std::string(f.path) + ": " + compiled->tpl.error_message());
    }
    templates_[name] = std::move(compiled);
  }
}

Views::~Views() = default;

std::string Views::render(std::string_view name, const nlohmann::json& model) const {
  auto it = templates_.find(std::string(name));
  if (it == templates_.end()) throw std::logic_error("no template " + std::string(name));
  mustache::data data = to_data(model);
  std::lock_guard lock(it->second->mu);
  return it->second->tpl.render(data);
}

std::string Views::page(std::string_view body_template, nlohmann::json model) const {
  model["body"] = render(body_template, model);
  model["css_url"] = assets_.url_for("app.css");
  model["app_js_url"] = assets_.url_for("app.js");
  model["katex_css_url"] = assets_.katex_css_url();
  model["katex_js_url"] = assets_.katex_js_url();
  model["autorender_url"] = assets_.katex_autorender_url();
  return render("layout", model);
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
    out.push_back({{"name", paper.authors[i].display_name()},
                   {"url", author_path(paper.authors[i])},
                   {"last", i + 1 == n}});
  }
  return out;
}

nlohmann::json category_links(const core::Paper& paper) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : paper.categories) out.push_back({{"name", c}, {"url", "/categories/" + url_encode(c)}});
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

namespace {

// "3 comments", "1 comment"; "" for none (the card then shows no link).
std::string comments_label(std::int64_t n) {
  if (n <= 0) return "";
  return std::to_string(n) + (n == 1 ? " comment" : " comments");
}

}  // namespace

std::string Views::cards(std::span<const store::StoredPaper> papers, const std::vector<std::string>& highlight,
                         const VoteMarks* votes, const std::vector<std::string>* notes) const {
  nlohmann::json list = nlohmann::json::array();
  constexpr size_t kAuthorsShown = 5;
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
                    {"comments_label", comments_label(votes != nullptr ? votes->comment_count(p.id) : 0)},
                    {"abs_url", arxiv_abs_url(p.id)},
                    {"pdf_url", arxiv_pdf_url(p.id)},
                    {"code_links", code_link_models(p)}});
    if (notes != nullptr && i < notes->size() && !(*notes)[i].empty()) list.back()["note"] = (*notes)[i];
  }
  return render("cards", {{"papers", list}});
}

}  // namespace paperboy::web
