// Query understanding (navigational ids, natural-language content words, title normalisation) and
// the speller's "did you mean".
#include "search/query_understanding.h"

#include <gtest/gtest.h>

#include "search/speller.h"

namespace paperboy::search {
namespace {

TEST(QueryUnderstanding, ArxivIdsUrlsAndDoisNameThePaper) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"2401.01234", "2401.01234"},
      {"2401.01234v3", "2401.01234"},
      {"arXiv:2401.01234", "2401.01234"},
      {"https://arxiv.org/abs/2401.01234v2", "2401.01234"},
      {"http://arxiv.org/pdf/2401.01234.pdf", "2401.01234"},
      {"arxiv.org/abs/2401.01234", "2401.01234"},
      {"https://www.arxiv.org/abs/2401.01234", "2401.01234"},
      {" 0704.0001 ", "0704.0001"},
      {"hep-th/9901001", "hep-th/9901001"},
      {"hep-th/9901001v2", "hep-th/9901001"},
      {"https://arxiv.org/abs/cs/0112017", "cs/0112017"},
      {"10.48550/arXiv.2401.01234", "2401.01234"},
      {"https://doi.org/10.48550/arXiv.2401.01234", "2401.01234"},
  };
  for (const auto& [input, want] : cases) {
    auto got = navigational_arxiv_id(input);
    ASSERT_TRUE(got.has_value()) << input;
    EXPECT_EQ(*got, want) << input;
  }
  for (const char* text : {"diffusion models", "2401", "graph 2401.01234", "10.1145/3292500.3330701", ""}) {
    EXPECT_FALSE(navigational_arxiv_id(text).has_value()) << text;
  }
}

TEST(QueryUnderstanding, DoisAreRecognisedWithOrWithoutTheirPrefix) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"10.1103/PhysRevD.76.013009", "10.1103/PhysRevD.76.013009"},
      {" doi:10.1145/3292500.3330701 ", "10.1145/3292500.3330701"},
      {"https://doi.org/10.1038/nature14539", "10.1038/nature14539"},
      {"http://dx.doi.org/10.1016/j.cell.2020.01.001", "10.1016/j.cell.2020.01.001"},
      {"doi.org/10.1000/xyz(1)<2>", "10.1000/xyz(1)<2>"},
  };
  for (const auto& [input, want] : cases) {
    auto got = navigational_doi(input);
    ASSERT_TRUE(got.has_value()) << input;
    EXPECT_EQ(*got, want) << input;
  }
  for (const char* text : {"diffusion models", "10.1145", "10./abc", "10.1145/", "10.12a/x", "10.1145/a b",
                           "2401.01234", "see 10.1145/3292500", ""}) {
    EXPECT_FALSE(navigational_doi(text).has_value()) << text;
  }
}

TEST(QueryUnderstanding, InstructionPhrasesAndStopWordsCarryNoTopic) {
  std::vector<std::string> words = {"Give",         "me",   "papers", "which", "show",   "that", "smaller",
                                    "pre-training", "data", "can",    "beat",  "bigger", "data."};
  EXPECT_EQ(content_words(words, true),
            (std::vector<std::string>{"smaller", "pre", "training", "data", "beat", "bigger", "data"}));
  // Without the instruction list (short queries) "research" is a topic word.
  EXPECT_EQ(content_words({"research", "software"}, false), (std::vector<std::string>{"research", "software"}));
}

TEST(QueryUnderstanding, TitlesCompareWithoutCaseAndPunctuation) {
  EXPECT_EQ(normalise_title("Attention Is All You Need!"), "attention is all you need");
  EXPECT_EQ(normalise_title("BERT: Pre-training of  Deep\nTransformers"), "bert pre training of deep transformers");
  EXPECT_EQ(normalise_title("$\\alpha$-Nets"), "alpha nets");
}

TEST(Speller, EditDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(edit_distance("models", "modles", 2), 1);
  EXPECT_EQ(edit_distance("diffusion", "difusion", 2), 1);
  EXPECT_EQ(edit_distance("graph", "grape", 2), 1);
  EXPECT_EQ(edit_distance("abc", "xyz", 2), 3);  // beyond the bound: max + 1
}

TEST(Speller, SuggestsTheNearestCommonWordAndKeepsTheRest) {
  Speller speller;
  for (int i = 0; i < 20; ++i) speller.add_document("Diffusion models for image generation");
  for (int i = 0; i < 4; ++i) speller.add_document("Fusion of modalities in medical imaging");
  speller.add_document("A difusion typo seen once");
  speller.finish();
  EXPECT_EQ(speller.df("diffusion"), 20);
  EXPECT_EQ(speller.df("difusion"), 0);  // below min_df: not vocabulary
  EXPECT_EQ(speller.correct("difusion"), "diffusion");
  EXPECT_EQ(speller.correct("modles"), "models");
  EXPECT_EQ(speller.correct("diffusion"), std::nullopt);
  EXPECT_EQ(speller.suggest("difusion modles"), "diffusion models");
  EXPECT_EQ(speller.suggest("Difusion modles cat:cs.LG"), "Diffusion models cat:cs.LG");
  EXPECT_EQ(speller.suggest("\"difusion\" image"), std::nullopt);  // quoted phrases are kept as typed
  EXPECT_EQ(speller.suggest("image generation"), std::nullopt);
  EXPECT_EQ(speller.suggest("zzqx"), std::nullopt);  // nothing near
}

}  // namespace
}  // namespace paperboy::search
