// SubmissionService against real SQLite stores, with the arXiv look-up answering from the real Atom
// fixture (parsed by ingest::parse_arxiv_atom_feed) and a fixed clock: the age window's boundary,
// idempotent repeats, validation, the per-account rate limit, and what a failed look-up leaves.
#include "community/submissions.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/time.h"
#include "ingest/arxiv_api.h"
#include "store/curation_store.h"
#include "store/database.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy::community {
namespace {

// 2602.07774's first version: <published>2026-02-08T00:00:00Z</published> in the fixture.
const std::int64_t kPublished = *core::parse_iso8601("2026-02-08T00:00:00Z");
constexpr std::int64_t kDay = 86400;

class SubmissionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string url = "sqlite:" + dir_.file("paperboy.db");
    auto opened = store::open_database({.url = url});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    papers_ = &database_->papers();
    curation_ = &database_->curation();
    std::ifstream in(std::string(paperboy::testing::paperboy_source_dir()) +
                     "/tests/fixtures/arxiv-api/2602.07774.atom");
    std::ostringstream atom;
    atom << in.rdbuf();
    atom_ = atom.str();
  }

  SubmissionService service(SubmissionOptions options = {}) {
    return SubmissionService(
        *papers_, *curation_,
        [this](std::string_view id) -> Result<core::Paper> {
          lookups_++;
          auto feed = ingest::parse_arxiv_atom_feed(atom_);
          if (!feed) return fail(feed.error());
          for (auto& p : *feed) {
            if (p.id == id) return std::move(p);
          }
          return fail(Status::not_found("arXiv has no paper " + std::string(id)));
        },
        options);
  }

  paperboy::testing::TempDir dir_;
  std::unique_ptr<store::Database> database_;
  store::Store* papers_ = nullptr;
  store::CurationStore* curation_ = nullptr;
  std::string atom_;
  int lookups_ = 0;
  store::Account ada_{.id = 1, .email = "ada@example.org", .name = "Ada"};
};

TEST_F(SubmissionServiceTest, AcceptsAPaperExactlyAtTheAgeLimit) {
  auto s = service({.max_age_days = 14});
  std::int64_t now = kPublished + 14 * kDay;
  auto r = s.submit(ada_, "arXiv:2602.07774v3", now);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->is_new);
  EXPECT_EQ(r->paper.title, "Generative Reasoning Re-ranker");
  EXPECT_EQ(r->submission.listing_day, "2026-02-22");
  EXPECT_EQ(r->submission.account_id, 1);
  EXPECT_TRUE(*papers_->get_paper("2602.07774"));
}

TEST_F(SubmissionServiceTest, RefusesAPaperOneSecondPastTheLimitAndStoresNothing) {
  auto s = service({.max_age_days = 14});
  auto r = s.submit(ada_, "2602.07774", kPublished + 14 * kDay + 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("only papers at most 14 days old"), std::string::npos) << r.error().message();
  EXPECT_FALSE(*papers_->get_paper("2602.07774"));
  EXPECT_FALSE(*curation_->get_submission("2602.07774"));
}

TEST_F(SubmissionServiceTest, ASecondSubmissionReturnsTheFirstWithoutALookup) {
  auto s = service();
  ASSERT_TRUE(s.submit(ada_, "2602.07774", kPublished + kDay));
  store::Account bob{.id = 2, .name = "Bob"};
  auto again = s.submit(bob, "https://arxiv.org/abs/2602.07774", kPublished + 3 * kDay);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_FALSE(again->is_new);
  EXPECT_EQ(again->submission.account_id, 1);
  EXPECT_EQ(again->submission.listing_day, core::format_iso_date(kPublished + kDay));
  EXPECT_EQ(lookups_, 1);
}

TEST_F(SubmissionServiceTest, MalformedAndUnknownIdsAreRefused) {
  auto s = service();
  auto bad = s.submit(ada_, "hello world", kPublished);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.submit(ada_, std::string(300, '1'), kPublished).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(lookups_, 0);
  auto unknown = s.submit(ada_, "2602.00001", kPublished);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), StatusCode::kNotFound);
  EXPECT_FALSE(*curation_->get_submission("2602.00001"));
}

TEST_F(SubmissionServiceTest, RateLimitIsPerAccountAndWindowed) {
  auto s = service({.per_account = 1, .window_s = 3600});
  ASSERT_FALSE(s.submit(ada_, "2602.00001", kPublished));  // unknown, but it spent the budget
  auto limited = s.submit(ada_, "2602.07774", kPublished + 10);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code(), StatusCode::kRateLimited);
  EXPECT_TRUE(s.submit(ada_, "2602.07774", kPublished + 3601));  // the window has passed
}

}  // namespace
}  // namespace paperboy::community
