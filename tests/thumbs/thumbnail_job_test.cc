// The thumbnail job against a PDF server on loopback (support/pdf_server.h) and a real SQLite
// database: it records ok / failed / retry as each answer deserves, keeps going after every kind
// of failure, tries a 503 again on a later run, paces its requests and names its contact, and
// serve's scheduler stops promptly while it waits between requests.
#include "thumbs/thumbnail_job.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/time.h"
#include "store/database.h"
#include "support/pdf_server.h"
#include "support/temp_dir.h"
#include "support/test_database.h"
#include "support/test_pdf.h"

namespace paperboy::thumbs {
namespace {

using store::ThumbnailState;
using Answer = testing::PdfServer::Answer;

constexpr std::int64_t kDay = 86400;
const std::int64_t kStart = *core::parse_iso8601("2026-11-20");

class ThumbnailJobTest : public ::testing::Test {
 protected:
  // Papers 2601.00001..5, one per day: 2601.00005 is the newest.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing::open_test_database(dir_.path(), testing::numbered_papers(5, kStart, kDay), db_));
    http_options_.user_agent = ingest::make_user_agent("me@example.org");
    http_options_.min_interval_s = 0;
    http_options_.timeout_s = 10;
    options_.pdf_url = server_.url_template();
    options_.delay_s = 0.05;
    options_.retry_backoff_s = 0;  // a retry is due at once: the next run tries it
    options_.max_attempts = 3;
  }

  store::ThumbnailFiles files() const { return store::ThumbnailFiles(dir_.path() / "thumbs"); }

  Result<ThumbnailRunSummary> run_job(std::string_view since = "", int limit = 0) {
    ingest::HttpClient http(http_options_);
    ThumbnailJob job(db_->thumbnails(), files(), http, options_);
    std::atomic<bool> stop{false};
    return job.run(
        stop, [&](double s) { return ingest::sleep_unless_stopped(s, &stop); }, since, limit);
  }

  store::ThumbnailRecord record_of(const std::string& id) {
    auto r = db_->thumbnails().get(id);
    EXPECT_TRUE(r && *r) << id;
    return r && *r ? **r : store::ThumbnailRecord{};
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  testing::PdfServer server_;
  ingest::HttpClientOptions http_options_;
  ThumbnailJobOptions options_;
};

TEST_F(ThumbnailJobTest, SurvivesA404A503AndACorruptPdfAndRecordsEach) {
  const std::string pdf = testing::one_page_pdf();
  server_.script("2601.00005", {{200, pdf}});
  server_.script("2601.00004", {{404, "no such paper", "text/plain"}});
  server_.script("2601.00003", {{503, "busy", "text/plain"}, {200, pdf}});
  server_.script("2601.00002", {{200, testing::corrupt_pdf()}});
  server_.script("2601.00001", {{200, "<html>PDF unavailable</html>", "text/html"}});

  auto first = run_job();
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->tried, 5);
  EXPECT_EQ(first->ok, 1);
  EXPECT_EQ(first->failed, 3);
  EXPECT_EQ(first->retry, 1);
  EXPECT_FALSE(first->interrupted);

  auto made = record_of("2601.00005");
  EXPECT_EQ(made.state, ThumbnailState::kOk);
  EXPECT_EQ(made.width, 320);
  EXPECT_EQ(made.height, 414);
  ASSERT_TRUE(store::ThumbnailFiles::is_valid_hash(made.hash)) << made.hash;
  auto image = files().read(made.hash);
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_EQ(image->substr(8, 4), "WEBP");
  EXPECT_EQ(store::ThumbnailFiles::hash_of(*image), made.hash) << "the name is the content's hash";

  auto gone = record_of("2601.00004");
  EXPECT_EQ(gone.state, ThumbnailState::kFailed);
  EXPECT_NE(gone.error.find("404"), std::string::npos) << gone.error;
  auto busy = record_of("2601.00003");
  EXPECT_EQ(busy.state, ThumbnailState::kRetry);
  EXPECT_EQ(busy.attempts, 1);
  EXPECT_NE(busy.error.find("503"), std::string::npos) << busy.error;
  auto corrupt = record_of("2601.00002");
  EXPECT_EQ(corrupt.state, ThumbnailState::kFailed);
  EXPECT_NE(corrupt.error.find("PDF"), std::string::npos) << corrupt.error;
  auto html = record_of("2601.00001");
  EXPECT_EQ(html.state, ThumbnailState::kFailed);
  EXPECT_NE(html.error.find("not a PDF"), std::string::npos) << html.error;

  // Newest listing day first, one request per paper, each with the contact in the User-Agent
  // and at least the delay after the one before.
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen.front().id, "2601.00005");
  EXPECT_EQ(seen.back().id, "2601.00001");
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_NE(seen[i].user_agent.find("mailto:me@example.org"), std::string::npos) << seen[i].user_agent;
    if (i > 0) {
      EXPECT_GE(seen[i].at - seen[i - 1].at, std::chrono::milliseconds(45)) << "request " << i;
    }
  }

  // The next run tries the 503 again (its retry is due) and nothing else; then nothing is left.
  auto second = run_job();
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(second->tried, 1);
  EXPECT_EQ(second->ok, 1);
  auto retried = record_of("2601.00003");
  EXPECT_EQ(retried.state, ThumbnailState::kOk);
  EXPECT_EQ(retried.attempts, 2);
  EXPECT_EQ(retried.hash, made.hash) << "the same page, the same image, stored once";
  auto third = run_job();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->tried, 0);
  EXPECT_EQ(server_.seen().size(), 6u);
}

TEST_F(ThumbnailJobTest, TemporaryFailuresAreBoundedThenFailForGood) {
  server_.script("2601.00005", {{503, "busy", "text/plain"}});
  options_.max_attempts = 2;
  auto first = run_job("2026-11-25");  // 2601.00005 alone
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(first->tried, 1);
  EXPECT_EQ(record_of("2601.00005").state, ThumbnailState::kRetry);
  auto second = run_job("2026-11-25");
  ASSERT_TRUE(second);
  auto r = record_of("2601.00005");
  EXPECT_EQ(r.state, ThumbnailState::kFailed);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_NE(r.error.find("giving up after 2 tries"), std::string::npos) << r.error;
  auto third = run_job("2026-11-25");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->tried, 0) << "a paper that failed for good is not fetched again";
}

TEST_F(ThumbnailJobTest, ARetryWaitsForItsTime) {
  server_.script("2601.00005", {{503, "busy", "text/plain"}, {200, testing::one_page_pdf()}});
  options_.retry_backoff_s = 3600;
  ASSERT_TRUE(run_job("2026-11-25"));
  auto r = record_of("2601.00005");
  EXPECT_EQ(r.state, ThumbnailState::kRetry);
  EXPECT_GE(r.next_attempt_at, r.updated_at + 3600);
  auto again = run_job("2026-11-25");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->tried, 0) << "not due for an hour";
}

TEST_F(ThumbnailJobTest, SinceAndLimitChooseThePapers) {
  for (int i = 1; i <= 5; ++i) server_.script("2601.0000" + std::to_string(i), {{200, testing::one_page_pdf()}});
  auto some = run_job("2026-11-23", 2);  // papers of 23, 24 and 25 Nov; the two newest
  ASSERT_TRUE(some) << some.error().to_string();
  EXPECT_EQ(some->ok, 2);
  EXPECT_EQ(record_of("2601.00005").state, ThumbnailState::kOk);
  EXPECT_EQ(record_of("2601.00004").state, ThumbnailState::kOk);
  auto none = db_->thumbnails().get("2601.00003");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto rest = run_job("2026-11-23");
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->ok, 1);  // 2601.00003: resumed where the limit stopped
  auto counts = db_->thumbnails().counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->ok, 3);
}

// Polls `done` every 10 ms for at most `seconds`.
template <typename Done>
bool eventually(Done done, double seconds = 20) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST_F(ThumbnailJobTest, TheSchedulerMakesThumbnailsInTheBackgroundAndStopsPromptly) {
  for (int i = 1; i <= 5; ++i) server_.script("2601.0000" + std::to_string(i), {{200, testing::one_page_pdf()}});
  options_.delay_s = 30;  // after the first paper the job waits: stop() must not wait with it
  ThumbnailScheduler scheduler(db_->thumbnails(), files(), http_options_, options_, 600);
  scheduler.start();
  ASSERT_TRUE(eventually([&] {
    auto r = db_->thumbnails().get("2601.00005");
    return r && *r && (*r)->state == ThumbnailState::kOk;
  })) << "the newest paper's thumbnail was never made";
  auto started = std::chrono::steady_clock::now();
  scheduler.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(server_.seen().size(), 1u) << "no second request inside the delay";
  auto none = db_->thumbnails().get("2601.00004");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none) << "a paper interrupted before its request is not recorded";
  EXPECT_EQ(scheduler.status_json()["thumbnails"]["runs"], 1);
}

TEST(ThumbnailOptions, ArxivsDelayHoldsForEveryHostButLoopback) {
  config::Config c;
  c.thumbnails.delay_ms = 10;
  c.thumbnails.pdf_url = "https://arxiv.org/pdf/{id}";
  EXPECT_DOUBLE_EQ(thumbnail_job_options_from(c).delay_s, 3.0);
  c.thumbnails.pdf_url = "http://127.0.0.1:8000/pdf/{id}";
  EXPECT_DOUBLE_EQ(thumbnail_job_options_from(c).delay_s, 0.01);
  c.harvest.contact = "harvest@example.org";
  EXPECT_NE(thumbnail_http_options_from(c).user_agent.find("mailto:harvest@example.org"), std::string::npos);
  c.thumbnails.contact = "thumbs@example.org";
  EXPECT_NE(thumbnail_http_options_from(c).user_agent.find("mailto:thumbs@example.org"), std::string::npos);
}

TEST(ThumbnailOptions, ConfigRefusesAFastDelayForARealHost) {
  ::setenv("PAPERBOY_THUMBNAILS_DELAY_MS", "100", 1);
  auto refused = config::load_config("/dev/null", {});
  ::setenv("PAPERBOY_THUMBNAILS_PDF_URL", "http://localhost:9/pdf/{id}", 1);
  auto loopback = config::load_config("/dev/null", {});
  ::unsetenv("PAPERBOY_THUMBNAILS_DELAY_MS");
  ::unsetenv("PAPERBOY_THUMBNAILS_PDF_URL");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("thumbnails.delay_ms"), std::string::npos) << refused.error().to_string();
  ASSERT_TRUE(loopback) << loopback.error().to_string();
  EXPECT_EQ(loopback->thumbnails.delay_ms, 100);
  EXPECT_TRUE(config::is_loopback_url("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(config::is_loopback_url("http://[::1]:8080/x"));
  EXPECT_FALSE(config::is_loopback_url("http://127.0.0.1.example.org/x"));
  EXPECT_FALSE(config::is_loopback_url("https://arxiv.org/pdf/{id}"));
}

}  // namespace
}  // namespace paperboy::thumbs
