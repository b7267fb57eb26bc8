#include "search/similarity_eval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace paperboy::search {
namespace {

TEST(Ndcg, UsesLinearGainsAndTheLog2DiscountFromRankTwo) {
  // DCG = g1 + g2/log2(2) + g3/log2(3); ideal order 3,2,0.
  double dcg = 0 + 3 / 1.0 + 2 / std::log2(3.0);
  double ideal = 3 + 2 / 1.0 + 0;
  EXPECT_NEAR(ndcg_at({0, 3, 2}, {3, 2, 0}, 3), dcg / ideal, 1e-12);
  EXPECT_DOUBLE_EQ(ndcg_at({3, 2, 0}, {0, 2, 3}, 3), 1.0);
  EXPECT_DOUBLE_EQ(ndcg_at({0, 0, 3}, {0, 0, 3}, 1), 0.0);
}

TEST(SimilarEval, RanksTopicalCandidatesAboveOthersOnASmallJudgedSet) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("pb-eval-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream papers(dir / "papers.jsonl");
    const char* topics[] = {"graph neural network message passing node classification",
                            "protein folding structure prediction amino acid",
                            "speech recognition acoustic model audio transcription",
                            "reinforcement learning policy reward agent exploration"};
    int pid = 0;
    for (int t = 0; t < 4; ++t) {
      for (int k = 0; k < 10; ++k) {
        papers << "{\"pid\": \"" << ++pid << "\", \"title\": \"Study " << k << " of " << topics[t]
               << "\", \"abstract\": \"We consider " << topics[t] << " variant " << k << " and " << topics[(t + k) % 4]
               << " baselines.\"}\n";
      }
    }
    std::ofstream(dir / "queries.jsonl") << "{\"qid\": \"1_method\", \"pid\": \"1\", \"facet\": \"method\"}\n";
    std::ofstream qrels(dir / "qrels.tsv");
    qrels << "qid\tcandidate\tgrade\n";
    for (int c = 2; c <= 40; ++c) qrels << "1_method\t" << c << "\t" << (c <= 10 ? 3 : 0) << "\n";
  }
  SimilarEvalOptions options;
  options.lsa.dimension = 8;
  options.lsa.min_df = 1;
  auto report = evaluate_similar(dir.string(), options);
  ASSERT_TRUE(report.has_value()) << report.error().to_string();
  EXPECT_EQ(report->queries, 1);
  EXPECT_GT(report->ndcg_lexical, 0.9);
  EXPECT_GT(report->ndcg_hybrid, 0.9);
  auto missing = evaluate_similar((dir / "nope").string(), options);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("evaluation data not found"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace paperboy::search
