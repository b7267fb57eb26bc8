// AuthorService: what an author page says about a person beyond their papers: the co-authors they
// write with most, the categories they publish in most, and how many papers per year. Computed
// from one bounded read of the author's newest papers (kPapersRead), so a prolific name costs the
// same as any other; `papers_read` says how many the figures cover. Knows nothing about HTTP.
// Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::app {

struct CoAuthor {
  std::string keyname;
  std::string forenames;
  int papers = 0;  // papers shared with the author
};

struct CategoryShare {
  std::string category;  // "cs.LG"
  int papers = 0;        // the author's papers listed in it (primary or cross-list)
};

struct YearCount {
  int year = 0;
  int papers = 0;
};

struct AuthorFacts {
  std::vector<CoAuthor> co_authors;       // most shared papers first, then by name; at most kCoAuthorsShown
  std::vector<CategoryShare> categories;  // most papers first, then by code; at most kCategoriesShown
  std::vector<YearCount> years;           // by first-version year, newest first, years with papers only
  int papers_read = 0;                    // papers the figures count
  bool is_truncated = false;              // the author has more than kPapersRead papers
};

class AuthorService {
 public:
  static constexpr int kPapersRead = 1000;
  static constexpr int kCoAuthorsShown = 12;
  static constexpr int kCategoriesShown = 6;

  explicit AuthorService(store::Store& papers) : papers_(papers) {}

  // Facts about the author with this keyname (and forenames when not empty), as by_author matches
  // them; hidden papers (curators' spam removals) are left out. No papers: empty facts.
  [[nodiscard]] Result<AuthorFacts> facts(std::string_view keyname, std::string_view forenames,
                                          const std::vector<std::string>& hidden_ids = {});

 private:
  store::Store& papers_;
};

}  // namespace paperboy::app
