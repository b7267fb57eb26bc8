// The search service end to end on a real SQLite store holding 400 real (CC0) arXiv papers from
// tests/fixtures/search/papers.jsonl: ranking sanity, filters, phrases, exclusions, incremental
// updates, crash safety of the derived indexes, similar papers and hybrid fusion.
#include "search/search_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "core/code_links.h"
#include "core/text.h"
#include "core/time.h"
#include "search/snapshot_loader.h"
#include "store/database.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace paperboy::search {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pb-search-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::open_database({"sqlite:" + (dir_ / "paperboy.db").string()});
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    database_ = std::move(*s);
    store_ = &database_->papers();
    auto papers = bench::read_snapshot_papers((fs::path(PAPERBOY_FIXTURES) / "papers.jsonl").string());
    ASSERT_TRUE(papers.has_value());
    ASSERT_EQ(papers->size(), 400u);
    papers_ = std::move(*papers);
    ASSERT_TRUE(bench::store_papers(*store_, papers_).is_ok());
    options_.index_dir = (dir_ / "index").string();
    options_.dimension = 32;
    options_.min_train_docs = 100;
    options_.candidates = 50;
    options_.persist_interval_seconds = 0;
    open_service();
  }
  void TearDown() override {
    service_.reset();
    store_ = nullptr;
    database_.reset();
    fs::remove_all(dir_);
  }

  void open_service() {
    service_.reset();
    auto svc = open_search_service(*store_, options_);
    ASSERT_TRUE(svc.has_value()) << svc.error().to_string();
    service_ = std::move(*svc);
  }

  SearchResponse run(const std::string& query, Mode mode = Mode::kHybrid, int limit = 20) {
    auto r = service_->search({query, mode, limit, 0});
    EXPECT_TRUE(r.has_value()) << query << ": " << r.error().to_string();
    return r ? *r : SearchResponse{};
  }

  core::Paper paper(const std::string& id) {
    auto p = store_->get_paper(id);
    EXPECT_TRUE(p.has_value() && p->has_value()) << id;
    return p && *p ? (*p)->paper : core::Paper{};
  }

  std::string text_of(const std::string& id) {
    core::Paper p = paper(id);
    std::string authors;
    for (const auto& a : p.authors) authors += a.display_name() + " ";
    return lower(p.title + " " + p.abstract + " " + authors);
  }

  core::Paper new_paper(const std::string& id, const std::string& title) {
    core::Paper p = papers_[0];
    p.id = id;
    p.title = title;
    p.abstract = "A short abstract about " + title + " and image segmentation.";
    return p;
  }

  fs::path dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* store_ = nullptr;
  std::vector<core::Paper> papers_;
  SearchOptions options_;
  std::unique_ptr<SearchService> service_;
};

TEST_F(SearchServiceTest, ExactTitleQueryRanksThatPaperFirst) {
  for (size_t i = 0; i < papers_.size(); i += 20) {
    const core::Paper& p = papers_[i];
    for (Mode mode : {Mode::kLexical, Mode::kHybrid}) {
      SearchResponse r = run(p.title, mode, 5);
      ASSERT_FALSE(r.hits.empty()) << p.title;
      EXPECT_EQ(r.hits[0].id, p.id) << mode_name(mode) << ": " << p.title;
    }
  }
}

TEST_F(SearchServiceTest, CategoryFilterExcludesOtherCategories) {
  SearchResponse all = run("learning", Mode::kLexical, 100);
  SearchResponse cv = run("learning cat:cs.CV", Mode::kLexical, 100);
  ASSERT_FALSE(cv.hits.empty());
  EXPECT_LT(cv.hits.size(), all.hits.size());
  for (const auto& h : cv.hits) {
    auto cats = paper(h.id).categories;
    EXPECT_NE(std::find(cats.begin(), cats.end(), "cs.CV"), cats.end()) << h.id;
  }
  // Semantic candidates obey the filter too.
  SearchResponse semantic = run("learning cat:cs.CV", Mode::kSemantic, 50);
  ASSERT_FALSE(semantic.hits.empty());
  for (const auto& h : semantic.hits) {
    auto cats = paper(h.id).categories;
    EXPECT_NE(std::find(cats.begin(), cats.end(), "cs.CV"), cats.end()) << h.id;
  }
}

TEST_F(SearchServiceTest, PhraseMatchesOnlyAdjacentWordsUnlikeBagOfWords) {
  const std::regex phrase("languag\\w*\\s+model");
  SearchResponse quoted = run("\"language model\"", Mode::kLexical, 200);
  SearchResponse bag = run("language model", Mode::kLexical, 200);
  ASSERT_FALSE(quoted.hits.empty());
  for (const auto& h : quoted.hits) EXPECT_TRUE(std::regex_search(text_of(h.id), phrase)) << h.id;
  size_t without_phrase = 0;
  for (const auto& h : bag.hits) without_phrase += std::regex_search(text_of(h.id), phrase) ? 0 : 1;
  EXPECT_GT(bag.hits.size(), quoted.hits.size());
  EXPECT_GT(without_phrase, 0u);
}

TEST_F(SearchServiceTest, ExcludedTermsRemoveMatchesInEveryMode) {
  for (Mode mode : {Mode::kLexical, Mode::kSemantic, Mode::kHybrid}) {
    SearchResponse with = run("segmentation", mode, 50);
    SearchResponse without = run("segmentation -medical", mode, 50);
    ASSERT_FALSE(without.hits.empty()) << mode_name(mode);
    // Whole words only: "biomedical" is another word.
    const std::regex medical("\\bmedical\\b");
    size_t medical_before = 0;
    for (const auto& h : with.hits) medical_before += std::regex_search(text_of(h.id), medical) ? 1 : 0;
    EXPECT_GT(medical_before, 0u) << mode_name(mode);
    for (const auto& h : without.hits) EXPECT_FALSE(std::regex_search(text_of(h.id), medical)) << h.id;
  }
}

TEST_F(SearchServiceTest, BadQueriesFailWithClearMessages) {
  auto r = service_->search({"\"unbalanced", Mode::kHybrid, 10, 0});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("unbalanced quote"), std::string::npos);
  r = service_->search({"venue:neurips", Mode::kHybrid, 10, 0});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("unknown field 'venue'"), std::string::npos);
  r = service_->search({"-only -negative", Mode::kHybrid, 10, 0});
  ASSERT_FALSE(r.has_value());
}

TEST_F(SearchServiceTest, NewAndChangedPapersAreSearchableAfterCatchUp) {
  EXPECT_TRUE(run("zorblattic", Mode::kLexical).hits.empty());
  store::WriteBatch batch;
  batch.papers.push_back(new_paper("2611.99001", "Zorblattic flows for image segmentation"));
  ASSERT_TRUE(store_->apply(batch).has_value());
  ASSERT_TRUE(service_->catch_up().is_ok());
  for (Mode mode : {Mode::kLexical, Mode::kHybrid}) {
    SearchResponse r = run("zorblattic", mode);
    ASSERT_FALSE(r.hits.empty()) << mode_name(mode);
    EXPECT_EQ(r.hits[0].id, "2611.99001");
  }
  // A newer version with another title: the old words no longer find it.
  core::Paper changed = new_paper("2611.99001", "Quixotrons for image segmentation");
  changed.versions.push_back({changed.versions.back().number + 1, changed.versions.back().created + 86400});
  batch.papers = {changed};
  ASSERT_TRUE(store_->apply(batch).has_value());
  ASSERT_TRUE(service_->catch_up().is_ok());
  EXPECT_TRUE(run("zorblattic", Mode::kLexical).hits.empty());
  SearchResponse r = run("quixotrons", Mode::kLexical);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].id, "2611.99001");
}

TEST_F(SearchServiceTest, IndexFilesLeftByACrashAreUsableAndCatchUp) {
  // Persist the vectors only on close, then copy the index folder while the service still runs:
  // exactly what a crash right after catch_up would leave on disk.
  options_.persist_interval_seconds = 3600;
  open_service();
  store::WriteBatch batch;
  core::Paper added = new_paper("2611.99002", "Zorblattic segmentation of satellite imagery");
  batch.papers.push_back(added);
  ASSERT_TRUE(store_->apply(batch).has_value());
  ASSERT_TRUE(service_->catch_up().is_ok());
  fs::path crashed = dir_ / "crashed-index";
  fs::copy(options_.index_dir, crashed, fs::copy_options::recursive);
  service_.reset();

  options_.index_dir = crashed.string();
  open_service();
  EXPECT_EQ(run("zorblattic", Mode::kLexical).hits.at(0).id, "2611.99002");
  // The paper's own text embeds to its own vector: found only if the vector index replayed the
  // change it had not saved.
  SearchResponse r = run(added.title + " " + added.abstract, Mode::kSemantic, 5);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "2611.99002");
  EXPECT_GT(r.hits[0].semantic_score, 0.99);
}

TEST_F(SearchServiceTest, SimilarPapersShareTheTopic) {
  int checked = 0, related = 0;
  for (const auto& seed : papers_) {
    if (seed.primary_category() != "cs.CL" || checked >= 10) continue;
    ++checked;
    auto hits = service_->similar(seed.id, 5);
    ASSERT_TRUE(hits.has_value()) << hits.error().to_string();
    ASSERT_EQ(hits->size(), 5u);
    for (const auto& h : *hits) {
      EXPECT_NE(h.id, seed.id);
      auto cats = paper(h.id).categories;
      related += std::find(cats.begin(), cats.end(), "cs.CL") != cats.end() ? 1 : 0;
    }
  }
  ASSERT_EQ(checked, 10);
  // cs.CL is a quarter of the fixture; topical neighbours should be mostly cs.CL.
  EXPECT_GE(related, 30) << related << " of 50";
  auto missing = service_->similar("2611.00000", 5);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
}

TEST_F(SearchServiceTest, MoreLikeTheseExcludesTheSeeds) {
  std::vector<std::string> seeds = {papers_[0].id, papers_[1].id, papers_[2].id};
  auto hits = service_->more_like(seeds, 10);
  ASSERT_TRUE(hits.has_value());
  ASSERT_EQ(hits->size(), 10u);
  for (const auto& h : *hits) EXPECT_EQ(std::find(seeds.begin(), seeds.end(), h.id), seeds.end());
  for (size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
}

TEST_F(SearchServiceTest, VectorsOfAndNearestWithinADayWindow) {
  ASSERT_EQ(service_->vector_dimension(), 32);
  auto first = store_->get_paper(papers_[0].id);
  ASSERT_TRUE(first && *first);
  std::vector<std::int64_t> ids = {(*first)->doc_id, 999999};
  auto vectors = service_->vectors_of(ids);
  ASSERT_TRUE(vectors);
  ASSERT_EQ(vectors->size(), 2u);
  ASSERT_EQ((*vectors)[0].size(), 32u);
  EXPECT_TRUE((*vectors)[1].empty());  // no such paper

  // The paper is its own nearest neighbour; hits come best first with their cosine.
  auto hits = service_->nearest((*vectors)[0], 10);
  ASSERT_TRUE(hits) << hits.error().to_string();
  ASSERT_EQ(hits->size(), 10u);
  EXPECT_EQ((*hits)[0].id, papers_[0].id);
  EXPECT_NEAR((*hits)[0].semantic_score, 1.0, 1e-4);
  for (size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);

  // Within one listing day only papers of that day come back (the search widens to find them).
  const std::string day = papers_[200].listing_day();
  const std::int64_t d = *core::parse_iso8601(day) / 86400;
  auto in_day = service_->nearest((*vectors)[0], 5, d, d);
  ASSERT_TRUE(in_day);
  ASSERT_FALSE(in_day->empty());
  for (const auto& h : *in_day) EXPECT_EQ(paper(h.id).listing_day(), day) << h.id;
  EXPECT_FALSE(service_->nearest((*vectors)[0], 0).has_value());
  EXPECT_TRUE(service_->nearest({1.0F, 0.0F}, 5)->empty());  // wrong dimension: nothing
}

TEST_F(SearchServiceTest, HybridFusesBothRankings) {
  SearchResponse r = run("robot grasping with vision", Mode::kHybrid, 30);
  ASSERT_FALSE(r.hits.empty());
  int both = 0, semantic_only = 0;
  for (size_t i = 0; i < r.hits.size(); ++i) {
    both += r.hits[i].lexical_rank > 0 && r.hits[i].semantic_rank > 0;
    semantic_only += r.hits[i].lexical_rank == 0 && r.hits[i].semantic_rank > 0;
    if (i > 0) {
      EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
    }
  }
  EXPECT_GT(both, 0);
  EXPECT_GT(semantic_only, 0) << "semantic search adds papers without every query word";
  EXPECT_EQ(r.explanation.find("mode "), std::string::npos) << "no debug text: " << r.explanation;
  EXPECT_EQ(r.highlight_terms, (std::vector<std::string>{"robot", "grasping", "with", "vision"}));
}

TEST_F(SearchServiceTest, ReindexRebuildsFromTheStore) {
  service_.reset();
  ASSERT_TRUE(rebuild_search_indexes(*store_, options_).is_ok());
  open_service();
  EXPECT_EQ(run(papers_[7].title, Mode::kLexical, 1).hits.at(0).id, papers_[7].id);
  EXPECT_TRUE(fs::exists(fs::path(options_.index_dir) / "vectors.hnsw"));
}

}  // namespace
}  // namespace paperboy::search

namespace paperboy::search {
namespace {

// Query understanding end to end: the ranking index (and the speller built with it) ready at open.
class QueryUnderstandingServiceTest : public SearchServiceTest {
 protected:
  void SetUp() override {
    SearchServiceTest::SetUp();
    options_.ranking_index = SearchOptions::RankingIndex::kAtOpen;
    open_service();
  }
};

TEST_F(QueryUnderstandingServiceTest, IdsUrlsAndDoisAnswerThatPaper) {
  for (size_t i = 0; i < papers_.size(); i += 50) {
    const std::string& id = papers_[i].id;
    for (const std::string& q : {id, id + "v2", "arXiv:" + id, "https://arxiv.org/abs/" + id,
                                 "arxiv.org/pdf/" + id + "v1.pdf", "https://doi.org/10.48550/arXiv." + id}) {
      SearchResponse r = run(q);
      ASSERT_EQ(r.hits.size(), 1u) << q;
      EXPECT_EQ(r.hits[0].id, id) << q;
    }
  }
}

TEST_F(QueryUnderstandingServiceTest, NaturalLanguageRequestsRankByTheirContentWords) {
  int first = 0, asked = 0;
  for (size_t i = 0; i < papers_.size(); i += 25) {
    const core::Paper& p = papers_[i];
    // The request words and a word no paper has do not stop the title's words from ranking it.
    SearchResponse r = run("Give me papers which show " + p.title + " zyxwvut", Mode::kLexical, 10);
    ++asked;
    ASSERT_FALSE(r.hits.empty()) << p.title;
    if (r.hits[0].id == p.id) ++first;
  }
  EXPECT_GE(first, asked - 1) << "of " << asked;
}

// Long questions rank on the prose postings (plain BM25 over title and abstract): a paper whose
// abstract holds the question's words comes first even though its title shares none of them.
TEST_F(QueryUnderstandingServiceTest, QuestionsFindThePaperWhoseAbstractAnswersThem) {
  int first = 0, asked = 0;
  for (size_t i = 3; i < papers_.size(); i += 25) {
    const core::Paper& p = papers_[i];
    std::istringstream words(p.abstract);
    std::string question = "Find papers that", w;
    for (int n = 0; n < 14 && words >> w; ++n) question += " " + w;
    SearchResponse r = run(question, Mode::kLexical, 10);
    ++asked;
    ASSERT_FALSE(r.hits.empty()) << question;
    if (r.hits[0].id == p.id) ++first;
  }
  EXPECT_GE(first, asked - 1) << "of " << asked;
}

TEST_F(QueryUnderstandingServiceTest, TyposGetASuggestionAndItsResults) {
  EXPECT_EQ(service_->suggest("learning"), std::nullopt);
  EXPECT_EQ(service_->suggest("lerning"), "learning");
  SearchResponse r = run("lerning zzzz");
  EXPECT_EQ(r.suggestion, "learning zzzz");
  r = run("lerning");
  EXPECT_EQ(r.suggestion, "learning");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_NE(r.explanation.find("showing results for \"learning\""), std::string::npos) << r.explanation;
  EXPECT_NE(text_of(r.hits[0].id).find("learn"), std::string::npos);
}

TEST_F(QueryUnderstandingServiceTest, TheTotalIsTheSameOnEveryPage) {
  for (Mode mode : {Mode::kLexical, Mode::kHybrid, Mode::kSemantic}) {
    std::int64_t first_total = -1;
    std::vector<std::string> seen;
    for (int page = 0; page < 4; ++page) {
      auto r = service_->search({"learning", mode, 20, page * 20});
      ASSERT_TRUE(r) << r.error().to_string();
      if (page == 0) first_total = r->total;
      EXPECT_EQ(r->total, first_total) << mode_name(mode) << " page " << page + 1;
      for (const auto& h : r->hits) seen.push_back(h.id);
    }
    EXPECT_GT(first_total, 20) << mode_name(mode);
  }
  // The lexical count is the number of papers with the word: more than any one page holds.
  auto r = service_->search({"learning", Mode::kLexical, 5, 0});
  ASSERT_TRUE(r);
  EXPECT_GT(r->total, 50);
}

TEST_F(QueryUnderstandingServiceTest, FilterControlsActLikeTheQuerySyntax) {
  SearchRequest typed{"learning cat:cs.CV from:2000-01-01", Mode::kLexical, 100, 0};
  SearchRequest chosen{"learning", Mode::kLexical, 100, 0};
  chosen.categories = {"cs.CV"};
  chosen.from = "2000-01-01";
  auto a = service_->search(typed);
  auto b = service_->search(chosen);
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(b->hits.empty());
  ASSERT_EQ(a->hits.size(), b->hits.size());
  for (size_t i = 0; i < a->hits.size(); ++i) EXPECT_EQ(a->hits[i].id, b->hits[i].id);
  chosen.until = "not-a-date";
  auto bad = service_->search(chosen);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
}

// has:code (and the "Has code" control) keeps the papers whose abstract or comments link their
// code, in every mode, with the ranking index and without it.
TEST_F(QueryUnderstandingServiceTest, HasCodeKeepsOnlyPapersThatLinkTheirCode) {
  auto links_code = [&](const std::string& id) {
    core::Paper p = paper(id);
    return !core::find_code_links(p.abstract).empty() || !core::find_code_links(p.comments).empty();
  };
  for (Mode mode : {Mode::kLexical, Mode::kSemantic, Mode::kHybrid}) {
    SCOPED_TRACE(mode_name(mode));
    SearchResponse all = run("learning", mode, 100);
    SearchResponse coded = run("learning has:code", mode, 100);
    ASSERT_FALSE(coded.hits.empty());
    for (const auto& h : coded.hits) EXPECT_TRUE(links_code(h.id)) << h.id;
    if (mode == Mode::kLexical) {  // the lexical side counts exactly; the others estimate
      EXPECT_LT(coded.total, all.total);
      // Papers with code the unfiltered query found are all still there.
      ASSERT_LT(coded.hits.size(), 100u);
      std::set<std::string> kept;
      for (const auto& h : coded.hits) kept.insert(h.id);
      for (const auto& h : all.hits) {
        if (links_code(h.id)) {
          EXPECT_TRUE(kept.contains(h.id)) << h.id;
        }
      }
    }
  }
  SearchRequest chosen{"learning", Mode::kLexical, 100, 0};
  chosen.has_code = true;
  auto b = service_->search(chosen);
  ASSERT_TRUE(b);
  SearchResponse typed = run("learning has:code", Mode::kLexical, 100);
  ASSERT_EQ(b->hits.size(), typed.hits.size());
  for (size_t i = 0; i < b->hits.size(); ++i) EXPECT_EQ(b->hits[i].id, typed.hits[i].id);
  // A filter alone lists papers with code, and combines with a category.
  SearchResponse only = run("has:code cat:cs.CV", Mode::kLexical, 100);
  ASSERT_FALSE(only.hits.empty());
  for (const auto& h : only.hits) {
    EXPECT_TRUE(links_code(h.id)) << h.id;
    auto cats = paper(h.id).categories;
    EXPECT_NE(std::find(cats.begin(), cats.end(), "cs.CV"), cats.end()) << h.id;
  }
}

// An index written before has:code existed (layout 1) is rebuilt on open, so the filter covers
// every paper rather than only those indexed since the upgrade.
TEST_F(SearchServiceTest, AnIndexInAnOlderLayoutIsRebuiltOnOpen) {
  SearchResponse before = run("learning has:code", Mode::kLexical, 100);
  ASSERT_FALSE(before.hits.empty());
  service_.reset();
  {
    auto conn = store::sqlite::Connection::open((fs::path(options_.index_dir) / "lexical.db").string(), 4);
    ASSERT_TRUE(conn.has_value());
    // What an older release left: no layout row, and no code marks.
    ASSERT_TRUE((*conn)
                    ->exec("DELETE FROM meta WHERE key = 'format'; "
                           "UPDATE fts SET categories = replace(categories, 'hascode ', '')")
                    .is_ok());
  }
  open_service();
  SearchResponse after = run("learning has:code", Mode::kLexical, 100);
  ASSERT_EQ(after.hits.size(), before.hits.size());
  for (size_t i = 0; i < after.hits.size(); ++i) EXPECT_EQ(after.hits[i].id, before.hits[i].id);
}

TEST_F(QueryUnderstandingServiceTest, NewestFirstOrdersEveryPageByDay) {
  std::vector<std::string> days;
  std::int64_t total = -1;
  for (int page = 0; page < 3; ++page) {
    SearchRequest request{"learning", Mode::kHybrid, 10, page * 10};
    request.sort = Sort::kNewest;
    auto r = service_->search(request);
    ASSERT_TRUE(r) << r.error().to_string();
    if (page == 0) total = r->total;
    EXPECT_EQ(r->total, total);
    for (const auto& h : r->hits) days.push_back(paper(h.id).listing_day());
  }
  ASSERT_EQ(days.size(), 30u);
  EXPECT_TRUE(std::is_sorted(days.rbegin(), days.rend())) << days.front() << " .. " << days.back();
  EXPECT_EQ(*parse_sort("newest"), Sort::kNewest);
  EXPECT_FALSE(parse_sort("oldest"));
}

TEST_F(QueryUnderstandingServiceTest, TwoTyposAreCorrectedFromTheIndexVocabulary) {
  EXPECT_EQ(service_->suggest("difusion modles"), "diffusion models");
  SearchResponse r = run("difusion modles", Mode::kHybrid);
  EXPECT_EQ(r.suggestion, "diffusion models");
  EXPECT_FALSE(r.hits.empty());
}

TEST_F(QueryUnderstandingServiceTest, SimilarToAPastedText) {
  const core::Paper& p = papers_[7];
  auto hits = service_->similar_to_text(p.title + "\n" + p.abstract, 5);
  ASSERT_TRUE(hits.has_value()) << hits.error().to_string();
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((*hits)[0].id, p.id);  // the paper itself is the most similar to its own text
  auto too_long = service_->similar_to_text(std::string(20001, 'a'), 5);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace paperboy::search
