// A personal digest end to end: the real `paperboy` binary ingests the demo papers, an account
// upvotes five speech papers, its personal subscription is confirmed, and `paperboy digest send`
// delivers through a real SMTP server (aiosmtpd) a digest whose papers each carry the reason they
// were chosen, naming papers the account liked.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.h"
#include "mail_test_support.h"
#include "store/community_store.h"
#include "store/database.h"
#include "store/mail_store.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST(PersonalDigest, ArrivesThroughRealSmtpWithReasonsNamingLikedPapers) {
  TempDir dir, sink_dir;
  std::vector<std::string> env = {"PAPERBOY_MAIL_RATE_PER_SECOND=1000", "PAPERBOY_LOG_LEVEL=warn"};
  Process ingest({paperboy_binary(), "--data-dir", dir.path().string(), "ingest",
                  testing::paperboy_source_dir() + "/data/demo-papers.jsonl.zst"},
                 env);
  ingest.read_all();
  ASSERT_EQ(ingest.wait(), 0);

  auto db = store::open_database({.url = dir.file("paperboy.db")});
  ASSERT_TRUE(db) << db.error().to_string();
  auto account = (*db)->community().create_account("ada@example.org", "Ada", "x", store::Role::kUser, core::unix_now());
  ASSERT_TRUE(account);
  store::ListingQuery all;
  all.limit = 10000;
  auto papers = (*db)->papers().list_papers(all);
  ASSERT_TRUE(papers);
  std::vector<std::string> liked_titles;
  for (const auto& sp : *papers) {
    if (liked_titles.size() == 5) break;
    if (sp.paper.title.find("Speech") == std::string::npos) continue;
    ASSERT_TRUE(
        (*db)->community().set_vote(*account, sp.paper.id, sp.paper.first_version_time(), true, core::unix_now()));
    liked_titles.push_back(sp.paper.title);
  }
  ASSERT_EQ(liked_titles.size(), 5u);

  auto sub = (*db)->mail().subscribe({"ada@example.org", "weekly", "personal", {}, *account}, core::unix_now(), 600);
  ASSERT_TRUE(sub) << sub.error().to_string();
  ASSERT_TRUE(*(*db)->mail().confirm(sub->subscription.id, core::unix_now()));
  auto rows = (*db)->mail().outbox(sub->subscription.id);
  ASSERT_TRUE(rows);
  for (const auto& row : *rows) ASSERT_TRUE((*db)->mail().mark_skipped(row.id, "test").is_ok());

  SmtpSink sink(sink_dir.path());
  ASSERT_GT(sink.port(), 0);
  Process send({paperboy_binary(), "--data-dir", dir.path().string(), "digest", "send", "--frequency", "weekly",
                "--smtp-url", sink.url(), "--public-url", "http://127.0.0.1:9"},
               env);
  std::string out = send.read_all();
  ASSERT_EQ(send.wait(), 0) << out;
  EXPECT_NE(out.find("sent 1 mails"), std::string::npos) << out;
  ASSERT_EQ(sink.messages().size(), 1u);
  auto digest = sink.messages()[0];
  EXPECT_NE(digest.header("Subject").find("weekly digest"), std::string::npos);
  EXPECT_NE(digest.text.find("papers recommended for you"), std::string::npos) << digest.text;

  // Every paper carries its reason, and each reason names a paper Ada liked, by its real title.
  const size_t entries = count(digest.text, "\n* ");
  EXPECT_EQ(entries, 20u) << digest.text;
  EXPECT_EQ(count(digest.text, "Similar to \u201c"), entries) << digest.text;
  const std::string open = "Similar to \u201c", close = "\u201d";
  size_t checked = 0;
  for (size_t at = digest.text.find(open); at != std::string::npos; at = digest.text.find(open, at + 1), ++checked) {
    size_t start = at + open.size();
    std::string title = digest.text.substr(start, digest.text.find(close, start) - start);
    EXPECT_NE(std::find(liked_titles.begin(), liked_titles.end(), title), liked_titles.end()) << title;
  }
  EXPECT_EQ(checked, entries);
  EXPECT_EQ(count(digest.html, "which you liked"), entries);
  // Speech papers, the liked topic, far above their share of the collection. Only the entries'
  // own title lines count (the reasons quote the liked titles, which all contain "Speech").
  size_t speech_entries = 0;
  for (size_t at = digest.text.find("\n* "); at != std::string::npos; at = digest.text.find("\n* ", at + 1)) {
    std::string line = digest.text.substr(at + 3, digest.text.find('\n', at + 3) - at - 3);
    if (line.find("peech") != std::string::npos) ++speech_entries;
  }
  size_t speech_papers = 0;
  for (const auto& sp : *papers) speech_papers += sp.paper.title.find("peech") != std::string::npos ? 1 : 0;
  double base_rate = static_cast<double>(speech_papers) / static_cast<double>(papers->size());
  EXPECT_GE(speech_entries, entries / 4) << digest.text;
  EXPECT_GT(static_cast<double>(speech_entries) / static_cast<double>(entries), 5 * base_rate)
      << speech_entries << " of " << entries << " entries; base rate " << base_rate;
  // None of the liked papers is recommended back.
  for (const auto& t : liked_titles) EXPECT_EQ(digest.text.find("* " + t), std::string::npos) << t;
}

}  // namespace
}  // namespace paperboy
