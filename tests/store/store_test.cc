// Store behaviour, run against every backend: SQLite (a real file) and PostgreSQL (a real server
// started by support/postgres_server.h, a fresh database per test). Backend-specific behaviour
// lives in sqlite_migrations_test.cc and postgres_*_test.cc.
#include "store/store.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

core::Paper paper(const std::string& id, int latest_version, const std::string& title = "A title") {
  core::Paper p;
  p.id = id;
  p.title = title;
  p.authors = {{"Lovelace", "Ada", ""}};
  p.abstract = "Abstract of " + id;
  p.categories = {"cs.LG", "stat.ML"};
  for (int v = 1; v <= latest_version; ++v) p.versions.push_back({v, 1709251200 + (v - 1) * 86400});
  p.update_date = core::Paper{.versions = p.versions}.last_updated();
  return p;
}

// The parameter names the backend: "sqlite" or "postgresql".
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      url_ = testing::fresh_postgres_database();
      ASSERT_FALSE(url_.empty());
    } else {
      url_ = "sqlite:" + dir_.file("db/paperboy.db");
    }
    auto opened = open_database({.url = url_});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store_ = &database_->papers();
  }
  UpsertOutcome upsert(const core::Paper& p) {
    auto r = store_->apply({.papers = {p}});
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? r->outcomes.at(0) : UpsertOutcome::kStale;
  }
  core::Paper get(const std::string& id) {
    auto r = store_->get_paper(id);
    EXPECT_TRUE(r && *r);
    return (r && *r) ? (*r)->paper : core::Paper{};
  }
  std::int64_t seq() { return *store_->max_change_seq(); }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> database_;
  Store* store_ = nullptr;
};

TEST_P(StoreTest, InsertThenReadBackEveryField) {
  core::Paper p = paper("2403.01234", 2);
  p.comments = "12 pages";
  p.journal_ref = "NeurIPS 2024";
  p.doi = "10.1000/xyz";
  p.report_no = "TR-1";
  p.license = "http://creativecommons.org/licenses/by/4.0/";
  p.submitter = "Ada Lovelace";
  p.title = "Über $\\alpha$-nets <b>&";
  EXPECT_EQ(upsert(p), UpsertOutcome::kInserted);
  EXPECT_EQ(get("2403.01234"), p);
}

TEST_P(StoreTest, IdenticalRecordChangesNothing) {
  ASSERT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  EXPECT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kUnchanged);
  EXPECT_EQ(seq(), before);
}

TEST_P(StoreTest, NewerVersionReplacesMetadataAndExtendsHistory) {
  ASSERT_EQ(upsert(paper("2403.01234", 1, "Old title")), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  core::Paper v2 = paper("2403.01234", 2, "New title");
  v2.versions.erase(v2.versions.begin());  // the source only knows v2
  EXPECT_EQ(upsert(v2), UpsertOutcome::kUpdated);
  core::Paper stored = get("2403.01234");
  EXPECT_EQ(stored.title, "New title");
  ASSERT_EQ(stored.versions.size(), 2U);
  EXPECT_EQ(stored.versions[0].number, 1);
  EXPECT_EQ(stored.versions[1].number, 2);
  EXPECT_EQ(stored.listing_day(), "2024-03-01");  // v1 still decides the listing day
  EXPECT_GT(seq(), before);
}

TEST_P(StoreTest, OlderVersionNeverOverwritesNewer) {
  ASSERT_EQ(upsert(paper("2403.01234", 3, "Newest title")), UpsertOutcome::kInserted);
  std::int64_t before = seq();
  EXPECT_EQ(upsert(paper("2403.01234", 2, "Stale title")), UpsertOutcome::kStale);
  EXPECT_EQ(get("2403.01234").title, "Newest title");
  EXPECT_EQ(seq(), before);
}

TEST_P(StoreTest, OlderRecordMayAddMissingVersionDatesOnly) {
  core::Paper newest = paper("2403.01234", 3, "Newest title");
  newest.versions.erase(newest.versions.begin() + 1);  // knows v1 and v3
  ASSERT_EQ(upsert(newest), UpsertOutcome::kInserted);
  EXPECT_EQ(upsert(paper("2403.01234", 2, "Stale title")), UpsertOutcome::kUpdated);
  core::Paper stored = get("2403.01234");
  EXPECT_EQ(stored.title, "Newest title");
  EXPECT_EQ(stored.versions.size(), 3U);
}

TEST_P(StoreTest, SameVersionWithNewerMetadataUpdates) {
  ASSERT_EQ(upsert(paper("2403.01234", 1)), UpsertOutcome::kInserted);
  core::Paper p = paper("2403.01234", 1);
  p.journal_ref = "ICML 2024";
  p.update_date = "2024-06-01";
  EXPECT_EQ(upsert(p), UpsertOutcome::kUpdated);
  EXPECT_EQ(get("2403.01234").journal_ref, "ICML 2024");
  core::Paper older = paper("2403.01234", 1);
  older.journal_ref = "arXiv preprint";
  older.update_date = "2024-03-02";
  EXPECT_EQ(upsert(older), UpsertOutcome::kStale);
  EXPECT_EQ(get("2403.01234").journal_ref, "ICML 2024");
}

TEST_P(StoreTest, ChangeSequenceIsMonotonicAndFollowable) {
  ASSERT_TRUE(store_->apply({.papers = {paper("2403.00001", 1), paper("2403.00002", 1), paper("2403.00003", 1)}}));
  auto all = store_->papers_changed_since(0, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  std::int64_t cursor = all->back().change_seq;
  EXPECT_TRUE(store_->papers_changed_since(cursor, 100)->empty());
  ASSERT_EQ(upsert(paper("2403.00001", 2, "Revised")), UpsertOutcome::kUpdated);
  auto changed = store_->papers_changed_since(cursor, 100);
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->size(), 1U);
  EXPECT_EQ(changed->front().paper.id, "2403.00001");
  EXPECT_GT(changed->front().change_seq, cursor);
  EXPECT_EQ(changed->front().doc_id, all->front().doc_id);  // doc ids are stable across updates
}

TEST_P(StoreTest, RejectsInvalidPapersAndWritesNothingOfTheBatch) {
  core::Paper bad = paper("2403.00002", 1);
  bad.title.clear();
  auto r = store_->apply({.papers = {paper("2403.00001", 1), bad}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("title"), std::string::npos);
  EXPECT_EQ(seq(), 0);
}

TEST_P(StoreTest, StateIsCommittedWithTheBatch) {
  ASSERT_TRUE(store_->apply({.papers = {paper("2403.00001", 1)}, .state = {{"cursor", "42"}}}));
  EXPECT_EQ(store_->get_state("cursor")->value_or(""), "42");
  ASSERT_TRUE(store_->put_state("cursor", "43").is_ok());
  EXPECT_EQ(store_->get_state("cursor")->value_or(""), "43");
  ASSERT_TRUE(store_->delete_state("cursor").is_ok());
  EXPECT_FALSE(store_->get_state("cursor")->has_value());
}

TEST_P(StoreTest, PutStateIfAbsentKeepsTheFirstValue) {
  auto first = store_->put_state_if_absent("k", "one");
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(*first, "one");
  auto second = store_->put_state_if_absent("k", "two");
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, "one");
  EXPECT_EQ(store_->get_state("k")->value_or(""), "one");
}

TEST_P(StoreTest, SigningKeyIsCreatedOnceAndSharedByEveryOpen) {
  auto key = signing_key_hex(*store_);
  ASSERT_TRUE(key) << key.error().to_string();
  EXPECT_EQ(key->size(), 64u);
  auto reopened = open_database({.url = url_});
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*signing_key_hex((*reopened)->papers()), *key);
}

TEST_P(StoreTest, ListingsFilterByDayAndCategoryNewestFirst) {
  core::Paper a = paper("2403.00001", 1);
  core::Paper b = paper("2403.00002", 1);
  b.versions[0].created += 86400;  // a day later
  b.categories = {"cs.CV"};
  core::Paper c = paper("2403.00003", 1);
  c.versions[0].created += 2 * 86400;
  c.categories = {"math.OC", "cs.LG"};
  ASSERT_TRUE(store_->apply({.papers = {a, b, c}}));
  auto all = store_->list_papers({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].paper.id, "2403.00003");
  auto lg = store_->list_papers({.categories = {"cs.LG"}});
  ASSERT_EQ(lg->size(), 2U);  // cross-lists count
  auto day = store_->list_papers({.from_day = "2024-03-02", .to_day = "2024-03-02"});
  ASSERT_EQ(day->size(), 1U);
  EXPECT_EQ(day->front().paper.id, "2403.00002");
  EXPECT_EQ(*store_->count_papers({.categories = {"cs.LG", "cs.CV"}}), 3);
  EXPECT_EQ(*store_->newest_listing_day(), "2024-03-03");
  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->papers, 3);
  ASSERT_EQ(stats->by_month.size(), 1U);
  EXPECT_EQ(stats->by_month[0].name, "2024-03");
  EXPECT_EQ(stats->by_month[0].count, 3);
}

TEST_P(StoreTest, ListingsLeaveOutExcludedPapersAndCountThemOut) {
  core::Paper a = paper("2403.00001", 1);
  core::Paper b = paper("2403.00002", 1);
  core::Paper c = paper("2403.00003", 1);
  ASSERT_TRUE(store_->apply({.papers = {a, b, c}}));
  auto rest = store_->list_papers({.exclude_ids = {"2403.00002", "9999.99999"}});
  ASSERT_TRUE(rest) << rest.error().to_string();
  ASSERT_EQ(rest->size(), 2U);
  EXPECT_EQ((*rest)[0].paper.id, "2403.00003");
  EXPECT_EQ((*rest)[1].paper.id, "2403.00001");
  EXPECT_EQ(*store_->count_papers({.exclude_ids = {"2403.00002"}}), 2);
  // Offsets page through what is left, so a page after an excluded paper is not short.
  auto second = store_->list_papers({.limit = 1, .offset = 1, .exclude_ids = {"2403.00003"}});
  ASSERT_EQ(second->size(), 1U);
  EXPECT_EQ(second->front().paper.id, "2403.00001");
  // Ids that look like SQL or JSON are values, never syntax.
  EXPECT_EQ(*store_->count_papers({.exclude_ids = {"x') OR 1=1 --", "\"]"}}), 3);
}

TEST_P(StoreTest, ConcurrentReadersAndOneWriter) {
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        if (!store_->list_papers({.limit = 10})) ++read_errors;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "2403.%05d", i + 1);
    ASSERT_EQ(upsert(paper(id, 1)), UpsertOutcome::kInserted);
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(read_errors, 0);
  EXPECT_EQ(store_->stats()->papers, 200);
}

TEST_P(StoreTest, ReopeningKeepsEverything) {
  ASSERT_EQ(upsert(paper("hep-th/9901001", 1)), UpsertOutcome::kInserted);
  store_ = nullptr;
  database_.reset();
  // SQLite also accepts a plain path.
  auto reopened = open_database({.url = GetParam() == "sqlite" ? dir_.file("db/paperboy.db") : url_});
  ASSERT_TRUE(reopened);
  auto p = (*reopened)->papers().get_paper("hep-th/9901001");
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->paper.title, "A title");
}

TEST_P(StoreTest, SqlAndJsonLookingTextIsStoredVerbatim) {
  core::Paper p = paper("2403.01234", 1, "Robert'); DROP TABLE papers; -- \\ \"$1\" ?1 %s {}");
  p.abstract =
      "Line one\nline two\ttab; 'quoted' \"double\" \\backslash, emoji \xF0\x9F\x93\x84, \xE6\xBC\xA2\xE5\xAD\x97";
  p.authors = {{"O'Neil", "J. \"Jay\"", "Jr"}, {"M\xC3\xBCller", "", ""}};
  p.comments = "$2 ? ?3";
  ASSERT_EQ(upsert(p), UpsertOutcome::kInserted);
  EXPECT_EQ(get("2403.01234"), p);
  EXPECT_EQ(store_->stats()->papers, 1);
  auto oneil = store_->list_papers_by_author("O'Neil", "", 10, 0);
  ASSERT_TRUE(oneil);
  ASSERT_EQ(oneil->size(), 1U);
  EXPECT_EQ(oneil->front().paper, p);
}

TEST_P(StoreTest, AuthorPagesMatchKeynameAndForenamesExactly) {
  core::Paper a = paper("2403.00001", 1);
  a.authors = {{"Hinton", "Geoffrey E.", ""}, {"Lovelace", "Ada", ""}};
  core::Paper b = paper("2403.00002", 1);
  b.versions[0].created += 86400;
  b.authors = {{"Hinton", "G.", ""}};
  core::Paper c = paper("2403.00003", 1);
  c.authors = {{"Hintonson", "Geoffrey E.", ""}, {"Ada", "Hinton", ""}};  // substring and swapped fields
  ASSERT_TRUE(store_->apply({.papers = {a, b, c}}));
  auto all = store_->list_papers_by_author("Hinton", "", 10, 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].paper.id, "2403.00002");  // newest first
  EXPECT_EQ((*all)[1].paper.id, "2403.00001");
  auto geoffrey = store_->list_papers_by_author("Hinton", "Geoffrey E.", 10, 0);
  ASSERT_EQ(geoffrey->size(), 1U);
  EXPECT_EQ(geoffrey->front().paper.id, "2403.00001");
  auto second_page = store_->list_papers_by_author("Hinton", "", 1, 1);
  ASSERT_EQ(second_page->size(), 1U);
  EXPECT_EQ(second_page->front().paper.id, "2403.00001");
  EXPECT_TRUE(store_->list_papers_by_author("Nobody", "", 10, 0)->empty());
}

TEST_P(StoreTest, PagesNeighbourDaysAndDocIdLookupsAgree) {
  std::vector<core::Paper> batch;
  for (int i = 0; i < 7; ++i) {
    core::Paper p = paper("2403.0000" + std::to_string(i + 1), 1);
    p.versions[0].created += (i / 2) * 2 * 86400;  // two papers a day on 1, 3, 5 and 7 March
    batch.push_back(p);
  }
  ASSERT_TRUE(store_->apply({.papers = batch}));
  auto first = store_->list_papers({.limit = 3});
  auto second = store_->list_papers({.limit = 3, .offset = 3});
  auto rest = store_->list_papers({.limit = 3, .offset = 6});
  ASSERT_TRUE(first && second && rest);
  ASSERT_EQ(first->size(), 3U);
  ASSERT_EQ(second->size(), 3U);
  ASSERT_EQ(rest->size(), 1U);
  EXPECT_EQ((*first)[0].paper.listing_day(), "2024-03-07");
  EXPECT_EQ(rest->front().paper.listing_day(), "2024-03-01");
  EXPECT_NE((*first)[2].paper.id, (*second)[0].paper.id);
  auto around = store_->neighbour_listing_days("2024-03-03");
  ASSERT_TRUE(around);
  EXPECT_EQ(around->first, "2024-03-01");
  EXPECT_EQ(around->second, "2024-03-05");
  EXPECT_EQ(store_->neighbour_listing_days("2024-03-01")->first, "");
  EXPECT_EQ(store_->neighbour_listing_days("2024-03-07")->second, "");
  std::vector<std::int64_t> ids = {(*second)[1].doc_id, 999999, (*first)[0].doc_id};
  auto by_id = store_->get_papers_by_doc_id(ids);
  ASSERT_TRUE(by_id);
  ASSERT_EQ(by_id->size(), 2U);  // the missing id is skipped, the order is the one asked
  EXPECT_EQ((*by_id)[0].paper.id, (*second)[1].paper.id);
  EXPECT_EQ((*by_id)[1].paper.id, (*first)[0].paper.id);
  EXPECT_FALSE(store_->get_paper("2403.09999")->has_value());
}

TEST_P(StoreTest, StatsCountPrimaryCategoriesLargestFirstThenByName) {
  core::Paper a = paper("2403.00001", 1);
  a.categories = {"math.OC"};
  core::Paper b = paper("2403.00002", 1);
  b.categories = {"cs.LG"};
  core::Paper c = paper("2403.00003", 1);
  c.categories = {"cs.LG", "math.OC"};
  core::Paper d = paper("2404.00004", 1);
  d.categories = {"cs.CV"};
  d.versions[0].created += 40 * 86400;  // April
  ASSERT_TRUE(store_->apply({.papers = {a, b, c, d}}));
  auto stats = store_->stats();
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->by_primary_category.size(), 3U);
  EXPECT_EQ(stats->by_primary_category[0].name, "cs.LG");
  EXPECT_EQ(stats->by_primary_category[0].count, 2);
  EXPECT_EQ(stats->by_primary_category[1].name, "cs.CV");  // ties by name, byte order
  EXPECT_EQ(stats->by_primary_category[2].name, "math.OC");
  ASSERT_EQ(stats->by_month.size(), 2U);
  EXPECT_EQ(stats->by_month[1].name, "2024-04");
  EXPECT_EQ(stats->oldest_listing_day, "2024-03-01");
  EXPECT_EQ(stats->newest_listing_day, "2024-04-10");
  EXPECT_EQ(stats->max_change_seq, 4);
}

TEST_P(StoreTest, StateListsEveryEntryByKey) {
  ASSERT_TRUE(store_->apply({.state = {{"b", "2"}, {"a", "1"}, {"c", "x'y\"z"}}}));
  ASSERT_TRUE(store_->put_state("a", "one").is_ok());
  auto all = store_->list_state();
  ASSERT_TRUE(all);
  std::vector<std::pair<std::string, std::string>> want = {{"a", "one"}, {"b", "2"}, {"c", "x'y\"z"}};
  EXPECT_EQ(*all, want);
  EXPECT_EQ(seq(), 0);  // state alone takes no change sequence value
}

TEST_P(StoreTest, PapersAreFoundByTheirDoiWhateverItsCase) {
  core::Paper with_doi = paper("2403.00001", 1);
  with_doi.doi = "10.1103/PhysRevD.76.013009";
  core::Paper later_same_doi = paper("2403.00002", 1);
  later_same_doi.doi = "10.1103/PHYSREVD.76.013009";
  core::Paper other = paper("2403.00003", 1);
  other.doi = "10.1000/xyz";
  ASSERT_TRUE(store_->apply({.papers = {with_doi, later_same_doi, other, paper("2403.00004", 1)}}));
  for (std::string doi : {"10.1103/PhysRevD.76.013009", "10.1103/physrevd.76.013009"}) {
    auto found = store_->get_paper_by_doi(doi);
    ASSERT_TRUE(found) << found.error().to_string();
    ASSERT_TRUE(found->has_value()) << doi;
    EXPECT_EQ((*found)->paper.id, "2403.00001");  // the first stored of the two carrying it
  }
  EXPECT_EQ((*store_->get_paper_by_doi("10.1000/XYZ"))->paper.id, "2403.00003");
  EXPECT_FALSE(store_->get_paper_by_doi("10.1000/xy")->has_value());
  EXPECT_FALSE(store_->get_paper_by_doi("")->has_value());  // papers without a DOI are not found by ""
  EXPECT_FALSE(store_->get_paper_by_doi("10.1000/xyz' OR '1'='1")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace paperboy::store
