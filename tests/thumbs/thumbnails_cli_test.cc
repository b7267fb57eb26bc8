// `paperboy thumbnails` as a user runs it: the real binary against a PDF server on loopback. It
// prints a line per paper and a summary, records every outcome, and a second run continues with
// what is left (here: the paper that answered 503).
#include <gtest/gtest.h>

#include <string>

#include "core/time.h"
#include "store/database.h"
#include "support/pdf_server.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"
#include "support/test_pdf.h"

namespace paperboy::thumbs {
namespace {

TEST(ThumbnailsCommand, MakesThumbnailsAndContinuesWhereItStopped) {
  testing::TempDir dir;
  {
    auto db = store::open_database({.url = "sqlite:" + dir.file("paperboy.db")});
    ASSERT_TRUE(db) << db.error().to_string();
    store::WriteBatch batch;
    batch.papers = testing::numbered_papers(3, *core::parse_iso8601("2026-11-20"), 86400);
    ASSERT_TRUE((*db)->papers().apply(batch));
  }
  testing::PdfServer server;
  server.script("2601.00003", {{200, testing::one_page_pdf()}});
  server.script("2601.00002", {{503, "busy", "text/plain"}, {200, testing::one_page_pdf()}});
  server.script("2601.00001", {{404, "gone", "text/plain"}});
  auto run = [&] {
    testing::Process p(
        {testing::paperboy_binary(), "--data-dir", dir.path().string(), "--config", "/dev/null", "thumbnails",
         "--pdf-url", server.url_template(), "--delay-ms", "0", "--contact", "cli@example.org"},
        {"PAPERBOY_THUMBNAILS_RETRY_BACKOFF_S=0"});
    std::string out = p.read_all();
    return std::make_pair(p.wait(), out);
  };
  auto [code, out] = run();
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("2601.00003 ok"), std::string::npos) << out;
  EXPECT_NE(out.find("2601.00002 retry"), std::string::npos) << out;
  EXPECT_NE(out.find("2601.00001 failed"), std::string::npos) << out;
  EXPECT_NE(out.find("thumbnails: 3 tried, 1 made, 1 failed, 1 to retry later"), std::string::npos) << out;
  auto [code2, out2] = run();
  EXPECT_EQ(code2, 0) << out2;
  EXPECT_NE(out2.find("thumbnails: 1 tried, 1 made, 0 failed, 0 to retry later"), std::string::npos) << out2;
  EXPECT_NE(out2.find("2601.00002 ok"), std::string::npos) << out2;
  ASSERT_EQ(server.seen().size(), 4u);
  EXPECT_NE(server.seen().front().user_agent.find("mailto:cli@example.org"), std::string::npos);
  auto db = store::open_database({.url = "sqlite:" + dir.file("paperboy.db")});
  ASSERT_TRUE(db);
  auto counts = (*db)->thumbnails().counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->ok, 2);
  EXPECT_EQ(counts->failed, 1);
}

TEST(ThumbnailsCommand, RefusesAFastDelayForArxiv) {
  testing::TempDir dir;
  testing::Process p({testing::paperboy_binary(), "--data-dir", dir.path().string(), "--config", "/dev/null",
                      "thumbnails", "--delay-ms", "100"},
                     {}, true);
  std::string out = p.read_all();
  EXPECT_EQ(p.wait(), 1) << out;
  EXPECT_NE(out.find("thumbnails.delay_ms: below 3000 only for a loopback pdf_url"), std::string::npos) << out;
}

}  // namespace
}  // namespace paperboy::thumbs
