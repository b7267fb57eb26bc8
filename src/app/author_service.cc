#include "app/author_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_set>

namespace paperboy::app {
namespace {

// The same person as by_author's match: the keyname, and the forenames when the page names them.
bool is_author(const core::Author& a, std::string_view keyname, std::string_view forenames) {
  return a.keyname == keyname && (forenames.empty() || a.forenames == forenames);
}

}  // namespace

Result<AuthorFacts> AuthorService::facts(std::string_view keyname, std::string_view forenames,
                                         const std::vector<std::string>& hidden_ids) {
  auto papers = papers_.list_papers_by_author(keyname, forenames, kPapersRead + 1, 0);
  if (!papers) return fail(papers.error());
  AuthorFacts out;
  out.is_truncated = static_cast<int>(papers->size()) > kPapersRead;
  if (out.is_truncated) papers->pop_back();
  std::unordered_set<std::string> hidden(hidden_ids.begin(), hidden_ids.end());
  std::map<std::pair<std::string, std::string>, int> co;
  std::map<std::string, int> cats;
  std::map<int, int> years;
  for (const auto& sp : *papers) {
    const core::Paper& p = sp.paper;
    if (hidden.contains(p.id)) continue;
    ++out.papers_read;
    // One count per paper, however often a name repeats in its author list.
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& a : p.authors) {
      if (is_author(a, keyname, forenames) || a.keyname.empty()) continue;
      if (seen.insert({a.keyname, a.forenames}).second) ++co[{a.keyname, a.forenames}];
    }
    for (const auto& c : std::set<std::string>(p.categories.begin(), p.categories.end())) ++cats[c];
    std::string day = p.listing_day();
    int year = 0;
    if (day.size() >= 4 && std::from_chars(day.data(), day.data() + 4, year).ec == std::errc()) ++years[year];
  }
  for (const auto& [name, n] : co) out.co_authors.push_back({name.first, name.second, n});
  std::ranges::stable_sort(out.co_authors, [](const CoAuthor& a, const CoAuthor& b) { return a.papers > b.papers; });
  if (out.co_authors.size() > kCoAuthorsShown) out.co_authors.resize(kCoAuthorsShown);
  for (const auto& [code, n] : cats) out.categories.push_back({code, n});
  std::ranges::stable_sort(out.categories,
                           [](const CategoryShare& a, const CategoryShare& b) { return a.papers > b.papers; });
  if (out.categories.size() > kCategoriesShown) out.categories.resize(kCategoriesShown);
  for (auto it = years.rbegin(); it != years.rend(); ++it) out.years.push_back({it->first, it->second});
  return out;
}

}  // namespace paperboy::app
