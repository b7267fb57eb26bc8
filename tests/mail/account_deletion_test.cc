// Deleting an account through the real `paperboy serve` (the /account form, password and CSRF
// token): its personal digest subscription goes with it (no mail to the address afterwards, the
// address no longer stored, the next digest run unharmed), and the paper it submitted stays listed without its
// name ("a former member").
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "mail_test_support.h"
#include "store/community_store.h"
#include "store/curation_store.h"
#include "store/database.h"
#include "support/web_forms.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

TEST(AccountDeletion, StopsItsDigestAndLeavesItsSubmissionNameless) {
  TempDir dir, sink_dir;
  std::string db = dir.file("paperboy.db");
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(db, 1));  // reader0: a plain subscriber
  std::vector<std::string> env = {"PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum", "PAPERBOY_LOG_LEVEL=warn",
                                  "PAPERBOY_MAIL_RATE_PER_SECOND=1000", "PAPERBOY_SERVER_LOAD_DEMO_DATA=false"};
  std::ofstream(dir.file("pw")) << "grace password 1\n";
  Process create({paperboy_binary(), "--data-dir", dir.path().string(), "user", "create-admin", "grace@example.org",
                  "--password-file", dir.file("pw")},
                 env);
  ASSERT_EQ(create.wait(), 0);
  std::int64_t account_id = 0;
  {
    auto opened = store::open_database({.url = db});
    ASSERT_TRUE(opened) << opened.error().to_string();
    auto account = (*opened)->community().find_account_by_email("grace@example.org");
    ASSERT_TRUE(account && *account);
    account_id = (*account)->account.id;
    // Her personal digest, confirmed, and a paper she submitted.
    auto s =
        (*opened)->mail().subscribe({"grace@example.org", "daily", "personal", {}, account_id}, core::unix_now(), 600);
    ASSERT_TRUE(s) << s.error().to_string();
    ASSERT_TRUE(*(*opened)->mail().confirm(s->subscription.id, core::unix_now()));
    auto rows = (*opened)->mail().outbox(s->subscription.id);
    ASSERT_TRUE(rows);
    for (const auto& row : *rows) ASSERT_TRUE((*opened)->mail().mark_skipped(row.id, "test").is_ok());
    ASSERT_TRUE((*opened)->curation().record_submission(
        {"2403.00001", account_id, core::format_iso_date(core::unix_now()), core::unix_now()}));
  }

  Process server({paperboy_binary(), "--data-dir", dir.path().string(), "serve", "--port", "0"}, env);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  auto page = client.Get("/papers/2403.00001");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  // Log in, then delete the account from its page (password and CSRF token).
  auto login_page = client.Get("/login");
  httplib::Headers cookie = {{"Cookie", "pb_csrf=" + testing::set_cookie(login_page, "pb_csrf")}};
  auto login = client.Post("/login", cookie,
                           httplib::Params{{"email", "grace@example.org"},
                                           {"password", "grace password 1"},
                                           {"csrf", testing::csrf_from(login_page->body)}});
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 303) << login->body;
  httplib::Headers session = {{"Cookie", "pb_session=" + testing::set_cookie(login, "pb_session")}};
  auto account_page = client.Get("/account", session);
  ASSERT_TRUE(account_page);
  ASSERT_EQ(account_page->status, 200);
  auto deleted =
      client.Post("/account/delete", session,
                  httplib::Params{{"password", "grace password 1"}, {"csrf", testing::csrf_from(account_page->body)}});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 303) << deleted->body;
  EXPECT_EQ(client.Get("/account", session)->status, 303);  // the session went with it

  // The submitted paper is still listed, credited to "a former member".
  page = client.Get("/papers/2403.00001");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("a former member"), std::string::npos);
  EXPECT_EQ(page->body.find("grace@example.org"), std::string::npos);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);

  // The daily digest goes to the plain subscriber only: nothing to the deleted account's address,
  // and the run does not fail on the missing account.
  SmtpSink sink(sink_dir.path());
  Process send({paperboy_binary(), "--data-dir", dir.path().string(), "digest", "send", "--frequency", "daily",
                "--smtp-url", sink.url(), "--public-url", "http://127.0.0.1:9"},
               env, true);
  std::string out = send.read_all();
  EXPECT_EQ(send.wait(), 0) << out;
  for (const auto& m : sink.messages()) {
    EXPECT_EQ(m.raw.find("X-Envelope-To: grace@example.org"), std::string::npos) << "mail to a deleted account";
  }
  EXPECT_EQ(sink.messages().size(), 1u) << out;
  auto mail = store::open_database({.url = db});
  auto sub = (*mail)->mail().subscription_by_email("grace@example.org");
  ASSERT_TRUE(sub);
  EXPECT_FALSE(sub->has_value()) << "the deleted account's subscription (and address) is still stored";
}

}  // namespace
}  // namespace paperboy
