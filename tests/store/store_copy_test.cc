// copy_store and digest_store: SQLite into PostgreSQL with version histories and state, verified;
// a tampered copy is caught; a non-empty target is refused unless asked.
#include "store/store_copy.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include "store/postgres/pg_db.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

std::vector<core::Paper> sample_papers(int count) {
  std::vector<core::Paper> out;
  for (int i = 1; i <= count; ++i) {
    core::Paper p;
    char id[16];
    std::snprintf(id, sizeof id, "2402.%05d", i);
    p.id = id;
    p.title = "Paper " + std::to_string(i) + " with 'quotes' and \\backslash";
    p.authors = {{"Noether", "Emmy", ""}, {"K\xC3\xB6nig", "D.", "Jr"}};
    p.abstract = "Abstract " + std::to_string(i);
    p.categories = i % 2 == 0 ? std::vector<std::string>{"math.AG", "cs.LG"} : std::vector<std::string>{"cs.CL"};
    if (i % 3 == 0) p.doi = "10.1000/" + std::to_string(i);
    for (int v = 1; v <= 1 + i % 3; ++v) p.versions.push_back({v, 1706745600 + i * 3600 + (v - 1) * 86400});
    p.update_date = "2024-02-20";
    out.push_back(p);
  }
  return out;
}

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sqlite = open_database({.url = "sqlite:" + dir_.file("source.db")});
    ASSERT_TRUE(sqlite);
    source_db_ = std::move(*sqlite);
    source_ = &source_db_->papers();
    pg_url_ = testing::fresh_postgres_database();
    ASSERT_FALSE(pg_url_.empty());
    auto pg = open_database({.url = pg_url_});
    ASSERT_TRUE(pg) << pg.error().to_string();
    target_db_ = std::move(*pg);
    target_ = &target_db_->papers();
    // Two batches, the second revising papers of the first, so histories and change order matter.
    auto papers = sample_papers(25);
    ASSERT_TRUE(source_->apply({.papers = papers, .state = {{"ingest:file", "{\"line\":25}"}}}));
    papers[4].title = "Revised title";
    papers[4].versions.push_back({9, 1709251200});
    ASSERT_TRUE(source_->apply({.papers = {papers[4]}, .state = {{"harvest:cursor", "2024-02-21"}}}));
  }

  testing::TempDir dir_;
  std::string pg_url_;
  std::unique_ptr<Database> source_db_, target_db_;
  Store* source_ = nullptr;
  Store* target_ = nullptr;
};

TEST_F(StoreCopyTest, CopiesEveryPaperWithItsHistoryAndEveryStateEntry) {
  auto report = copy_store(*source_, *target_, {.batch_size = 7});
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_TRUE(report->verified());
  EXPECT_EQ(report->totals.inserted, 25);
  EXPECT_EQ(report->state_entries, 2);
  EXPECT_EQ(report->source, report->target);
  EXPECT_EQ(report->target.papers, 25);
  auto revised = target_->get_paper("2402.00005");
  ASSERT_TRUE(revised && *revised);
  EXPECT_EQ((*revised)->paper, (*source_->get_paper("2402.00005"))->paper);
  EXPECT_EQ((*revised)->paper.versions.back().number, 9);
  EXPECT_EQ(target_->get_state("harvest:cursor")->value_or(""), "2024-02-21");
  auto source_stats = source_->stats();
  auto target_stats = target_->stats();
  EXPECT_EQ(target_stats->by_primary_category.size(), source_stats->by_primary_category.size());
  EXPECT_EQ(target_->list_papers({.categories = {"cs.LG"}})->size(),
            source_->list_papers({.categories = {"cs.LG"}})->size());
}

TEST_F(StoreCopyTest, ANonEmptyTargetIsRefusedUnlessForced) {
  ASSERT_TRUE(target_->put_state("already", "here").is_ok());
  auto refused = copy_store(*source_, *target_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(target_->stats()->papers, 0);  // nothing written
  auto forced = copy_store(*source_, *target_, {.allow_non_empty_target = true});
  ASSERT_TRUE(forced) << forced.error().to_string();
  EXPECT_TRUE(forced->verified());
  EXPECT_EQ(forced->target.state_entries, 3);  // the target's own entry stays
  EXPECT_NE(forced->source, forced->target);
  // Copying again changes nothing.
  auto again = copy_store(*source_, *target_, {.allow_non_empty_target = true});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->totals.unchanged, 25);
  EXPECT_TRUE(again->verified());
}

TEST_F(StoreCopyTest, TheDigestNoticesOneChangedField) {
  ASSERT_TRUE(copy_store(*source_, *target_));
  auto before = digest_store(*target_);
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, *digest_store(*source_));
  auto conn = postgres::PgConnection::connect(pg_url_);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->run("UPDATE papers SET abstract = abstract || '.' WHERE id = '2402.00017'").is_ok());
  auto after = digest_store(*target_);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->papers, before->papers);
  EXPECT_NE(after->papers_checksum, before->papers_checksum);
}

}  // namespace
}  // namespace paperboy::store
