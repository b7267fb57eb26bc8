#include "core/categories.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace paperboy::core {
namespace {

TEST(Categories, NamesTheCodesOfEveryArchive) {
  struct Case {
    const char* code;
    const char* name;
  };
  for (const Case& c : {Case{"cs.LG", "Machine Learning"}, Case{"cs.CV", "Computer Vision and Pattern Recognition"},
                        Case{"math.AG", "Algebraic Geometry"}, Case{"math-ph", "Mathematical Physics"},
                        Case{"hep-th", "High Energy Physics - Theory"}, Case{"quant-ph", "Quantum Physics"},
                        Case{"cond-mat.str-el", "Strongly Correlated Electrons"},
                        Case{"astro-ph.CO", "Cosmology and Nongalactic Astrophysics"},
                        Case{"physics.flu-dyn", "Fluid Dynamics"}, Case{"nlin.CD", "Chaotic Dynamics"},
                        Case{"stat.ML", "Machine Learning"}, Case{"q-bio.NC", "Neurons and Cognition"},
                        Case{"q-fin.ST", "Statistical Finance"}, Case{"eess.IV", "Image and Video Processing"},
                        Case{"econ.EM", "Econometrics"}, Case{"gr-qc", "General Relativity and Quantum Cosmology"}}) {
    EXPECT_EQ(category_name(c.code), c.name) << c.code;
  }
}

TEST(Categories, UnknownCodesHaveNoNameAndShowThemselves) {
  EXPECT_EQ(category_name("cs.XX"), "");
  EXPECT_EQ(category_name("cs"), "");
  EXPECT_EQ(category_name(""), "");
  EXPECT_EQ(category_name("CS.LG"), "") << "codes are case-sensitive, as arXiv writes them";
  EXPECT_EQ(category_label("cs.XX"), "cs.XX");
  EXPECT_EQ(category_label("cs.AI"), "Artificial Intelligence");
}

TEST(Categories, TheTableIsTheWholeTaxonomySortedWithoutDuplicates) {
  auto all = arxiv_categories();
  EXPECT_EQ(all.size(), 157u);
  std::set<std::string_view> codes;
  std::set<std::string> archives;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].name.empty()) << all[i].code;
    EXPECT_TRUE(codes.insert(all[i].code).second) << all[i].code;
    if (i > 0) {
      EXPECT_LT(all[i - 1].code, all[i].code);
    }
    // Every code finds itself: the binary search agrees with the table.
    EXPECT_EQ(category_name(all[i].code), all[i].name);
    archives.insert(std::string(all[i].code.substr(0, all[i].code.find('.'))));
  }
  for (const char* archive :
       {"astro-ph", "cond-mat", "cs",   "econ",    "eess",    "gr-qc",   "hep-ex", "hep-lat", "hep-ph",   "hep-th",
        "math",     "math-ph",  "nlin", "nucl-ex", "nucl-th", "physics", "q-bio",  "q-fin",   "quant-ph", "stat"}) {
    EXPECT_TRUE(archives.contains(archive)) << archive;
  }
  EXPECT_EQ(std::count_if(all.begin(), all.end(), [](const CategoryName& c) { return c.code.starts_with("cs."); }), 40);
}

}  // namespace
}  // namespace paperboy::core
