// End-to-end mail tests against a real SMTP server (aiosmtpd, tests/support/smtp_sink.py) and the
// real `paperboy` binary: subscribe → confirmation mail → confirm link → digest with both parts and
// RFC 8058 headers → unsubscribe (button page and one-click POST); forged and expired links; and
// the faults: SMTP down, 4xx then 2xx, 5xx, and the sender killed with SIGKILL mid-batch; on a
// shared PostgreSQL, two `digest send` runs at once (as from two instances' cron jobs).
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/signing.h"
#include "core/time.h"
#include "mail_test_support.h"
#include "store/database.h"
#include "store/mail_store.h"
#include "support/postgres_server.h"
#include "support/web_forms.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

// Posts the subscribe form for a weekly trending digest with the CSRF cookie and token of the form
// page it was served on.
httplib::Result post_weekly_trending_subscription(httplib::Client& client, const httplib::Result& form_page,
                                                  const std::string& email) {
  httplib::Headers cookie = {{"Cookie", "pb_csrf=" + paperboy::testing::set_cookie(form_page, "pb_csrf")}};
  return client.Post("/subscribe", cookie,
                     httplib::Params{{"email", email},
                                     {"frequency", "weekly"},
                                     {"kind", "trending"},
                                     {"csrf", paperboy::testing::csrf_from(form_page->body)}});
}

class MailFlowTest : public ::testing::Test {
 protected:
  void SetUp() override { mailtest::seed_papers(dir_); }

  // Runs `paperboy digest send` with this test's settings; returns its stdout.
  std::string digest_send(const std::string& smtp_url, std::vector<std::string> extra = {}, int* exit_code = nullptr) {
    std::vector<std::string> args = {paperboy_binary(), "--data-dir",   dir_.path().string(),
                                     "digest",          "send",         "--smtp-url",
                                     smtp_url,          "--public-url", "http://127.0.0.1:9"};
    args.insert(args.end(), extra.begin(), extra.end());
    Process p(args, env_);
    std::string out = p.read_all();
    int rc = p.wait();
    if (exit_code != nullptr) *exit_code = rc;
    return out;
  }

  // Confirmed subscribers added straight to the store (the web flow has its own test).
  std::vector<store::Subscription> confirmed(int n, const std::string& frequency = "daily") {
    auto mail = store::open_database({.url = dir_.file("paperboy.db")});
    EXPECT_TRUE(mail);
    std::vector<store::Subscription> out;
    for (int i = 0; i < n; ++i) {
      auto s = (*mail)->mail().subscribe({"reader" + std::to_string(i) + "@example.org", frequency, "trending", {}, 0},
                                         core::unix_now(), 600);
      EXPECT_TRUE(s);
      EXPECT_TRUE(*(*mail)->mail().confirm(s->subscription.id, core::unix_now()));
      // Their confirmation mails are not what these tests are about.
      auto rows = (*mail)->mail().outbox(s->subscription.id);
      for (const auto& row : *rows) EXPECT_TRUE((*mail)->mail().mark_skipped(row.id, "test").is_ok());
      out.push_back(s->subscription);
    }
    return out;
  }

  std::vector<store::OutboxItem> outbox(std::int64_t id) {
    auto mail = store::open_database({.url = dir_.file("paperboy.db")});
    return *(*mail)->mail().outbox(id);
  }

  // Moves the clock of the `paperboy` processes started from now on `seconds` ahead of real time.
  void move_clock(std::int64_t seconds) { std::ofstream(dir_.file("clock")) << seconds << "\n"; }

  TempDir dir_;
  TempDir sink_dir_;
  std::vector<std::string> env_ = {"PAPERBOY_MAIL_RETRY_BACKOFF_S=1", "PAPERBOY_MAIL_RATE_PER_SECOND=1000",
                                   "PAPERBOY_LOG_LEVEL=warn", "PAPERBOY_TEST_CLOCK_FILE=" + dir_.file("clock")};
};

TEST_F(MailFlowTest, SubscribeConfirmDigestAndUnsubscribeThroughRealSmtp) {
  SmtpSink sink(sink_dir_.path());
  ASSERT_GT(sink.port(), 0);
  // The server binds any free port (read back from its first line); links use the public URL.
  std::string base = "http://paperboy.test";
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0", "--public-url", base,
                  "--smtp-url", sink.url()},
                 // Digests come from `digest send` below; serve only delivers confirmations here.
                 {"PAPERBOY_MAIL_POLL_S=0.2", "PAPERBOY_MAIL_SCHEDULE=false", "PAPERBOY_LOG_LEVEL=warn"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);

  auto bad = client.Post("/api/subscriptions", R"({"email":"not an address","frequency":"daily","kind":"trending"})",
                         "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto r = client.Post("/api/subscriptions",
                       R"({"email":"ada@example.org","frequency":"daily","kind":"categories","categories":["cs.LG"]})",
                       "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;

  // The confirmation mail arrives; nothing is sent before confirmation but that mail.
  ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() == 1; }, 10));
  auto confirm_mail = sink.messages()[0];
  EXPECT_NE(confirm_mail.raw.find("X-Envelope-To: ada@example.org"), std::string::npos);
  std::string link = mailtest::find_link(confirm_mail.text, "/subscribe/confirm?token=");
  ASSERT_TRUE(link.starts_with(base + "/subscribe/confirm?token=")) << confirm_mail.text;
  EXPECT_NE(confirm_mail.html.find(link), std::string::npos);

  // Before confirming, `digest send` has nobody to send to (double opt-in).
  EXPECT_NE(digest_send(sink.url()).find("sent 0 mails"), std::string::npos);

  auto confirmed_page = client.Get(link.substr(base.size()));
  ASSERT_TRUE(confirmed_page);
  EXPECT_EQ(confirmed_page->status, 200);
  EXPECT_NE(confirmed_page->body.find("Subscription confirmed"), std::string::npos);

  // Subscribing a confirmed address again sends nothing.
  ASSERT_EQ(client
                .Post("/api/subscriptions", R"({"email":"ada@example.org","frequency":"daily","kind":"trending"})",
                      "application/json")
                ->status,
            202);
  // The API answers after the subscription is stored: nothing new is queued for the address, and
  // the one mail it has (the confirmation) was sent.
  {
    auto mail = store::open_database({.url = dir_.file("paperboy.db")});
    auto ada = (*mail)->mail().subscription_by_email("ada@example.org");
    ASSERT_TRUE(ada && *ada);
    auto rows = outbox((*ada)->id);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].state, store::OutboxState::kSent);
  }
  EXPECT_EQ(sink.messages().size(), 1u);

  std::string out = digest_send(sink.url(), {"--frequency", "daily"});
  EXPECT_NE(out.find("sent 1 mails"), std::string::npos) << out;
  ASSERT_EQ(sink.messages().size(), 2u);
  auto digest = sink.messages()[1];
  EXPECT_NE(digest.header("Content-Type").find("multipart/alternative"), std::string::npos);
  EXPECT_NE(digest.text.find("Scaling sparse transformers"), std::string::npos);         // cs.LG, newest day
  EXPECT_EQ(digest.text.find("Parsing with large language models"), std::string::npos);  // cs.CL: not chosen
  EXPECT_NE(digest.html.find("Scaling sparse transformers"), std::string::npos);
  EXPECT_NE(digest.html.find("Ünïcode"), std::string::npos);
  EXPECT_EQ(digest.html.find("<script"), std::string::npos);
  EXPECT_EQ(digest.html.find("<img"), std::string::npos);
  EXPECT_EQ(digest.header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  std::string unsub = digest.header("List-Unsubscribe");
  ASSERT_TRUE(unsub.starts_with("<http://127.0.0.1:9/unsubscribe?token=")) << unsub;
  EXPECT_TRUE(digest.header("Message-ID").starts_with("<daily.")) << digest.header("Message-ID");
  EXPECT_FALSE(digest.header("Date").empty());
  // The same issue is never sent twice.
  EXPECT_NE(digest_send(sink.url(), {"--frequency", "daily"}).find("sent 0 mails"), std::string::npos);

  // The preview link in the digest shows the same papers in the browser.
  std::string preview = mailtest::find_link(digest.text, "/digest/preview?token=");
  auto preview_page = client.Get(preview.substr(std::string("http://127.0.0.1:9").size()));
  ASSERT_TRUE(preview_page);
  EXPECT_EQ(preview_page->status, 200);
  EXPECT_NE(preview_page->body.find("Scaling sparse transformers"), std::string::npos);

  // GET shows a button and changes nothing (link scanners); the RFC 8058 POST unsubscribes.
  std::string target = unsub.substr(std::string("<http://127.0.0.1:9").size());
  target.pop_back();
  auto button = client.Get(target);
  ASSERT_TRUE(button);
  EXPECT_EQ(button->status, 200);
  EXPECT_NE(button->body.find("<button type=\"submit\">Unsubscribe</button>"), std::string::npos);
  auto sub = store::open_database({.url = dir_.file("paperboy.db")});
  EXPECT_EQ((*(*sub)->mail().subscription_by_email("ada@example.org"))->status, store::SubscriptionStatus::kConfirmed);
  auto one_click = client.Post(target, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
  ASSERT_TRUE(one_click);
  EXPECT_EQ(one_click->status, 200);
  EXPECT_NE(one_click->body.find("You are unsubscribed"), std::string::npos);
  EXPECT_EQ((*(*sub)->mail().subscription_by_email("ada@example.org"))->status,
            store::SubscriptionStatus::kUnsubscribed);

  // The HTML form on the listing pages does the same as the API (and answers the same page
  // whether or not the address is known).
  // Without the CSRF token of the form page it is refused and nothing is stored.
  auto forged = client.Post("/subscribe", "email=mallory%40example.org&frequency=weekly&kind=trending",
                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_FALSE(*(*sub)->mail().subscription_by_email("mallory@example.org"));
  auto form_page = client.Get("/subscribe?email=grace%40example.org&frequency=weekly");
  ASSERT_TRUE(form_page);
  EXPECT_NE(form_page->body.find("value=\"grace@example.org\""), std::string::npos);  // the listing box's input
  auto form = post_weekly_trending_subscription(client, form_page, "grace@example.org");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("Check your inbox"), std::string::npos);
  ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() == 3; }, 10));
  EXPECT_NE(sink.messages()[2].raw.find("X-Envelope-To: grace@example.org"), std::string::npos);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

// Without an SMTP server a subscription is stored, and the pages say that no mail went out rather
// than "a confirmation mail is on its way" (issue 16 item 7).
TEST_F(MailFlowTest, SubscribingWithoutAnSmtpServerSaysNoMailWasSent) {
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0"},
                 {"PAPERBOY_MAIL_SCHEDULE=false", "PAPERBOY_LOG_LEVEL=warn"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  auto form_page = client.Get("/subscribe");
  ASSERT_TRUE(form_page);
  EXPECT_NE(form_page->body.find("no mail server configured"), std::string::npos);
  auto form = post_weekly_trending_subscription(client, form_page, "grace@example.org");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("no mail was sent"), std::string::npos) << form->body;
  EXPECT_EQ(form->body.find("on its way"), std::string::npos);
  auto api = client.Post("/api/subscriptions", R"({"email":"ada@example.org","frequency":"daily","kind":"trending"})",
                         "application/json");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 202);
  EXPECT_NE(api->body.find("no mail server is configured"), std::string::npos) << api->body;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

// Password reset links go out through the digests' SMTP server (the notice mailer), and work once.
TEST_F(MailFlowTest, PasswordResetLinkArrivesByMailAndSetsTheNewPassword) {
  SmtpSink sink(sink_dir_.path());
  ASSERT_GT(sink.port(), 0);
  std::vector<std::string> env = {"PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum", "PAPERBOY_LOG_LEVEL=warn"};
  std::ofstream(dir_.file("pw")) << "the old password 1\n";
  Process admin({paperboy_binary(), "--data-dir", dir_.path().string(), "user", "create-admin", "ada@example.org",
                 "--password-file", dir_.file("pw")},
                env);
  ASSERT_EQ(admin.wait(), 0);
  std::string base = "http://paperboy.test";
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0", "--public-url", base,
                  "--smtp-url", sink.url()},
                 env);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);

  // Ask for a link like a browser: the form's CSRF token and cookie.
  auto forgot = client.Get("/password/forgot");
  ASSERT_TRUE(forgot);
  httplib::Headers cookie = {{"Cookie", "pb_csrf=" + paperboy::testing::set_cookie(forgot, "pb_csrf")}};
  std::string csrf = paperboy::testing::csrf_from(forgot->body);
  // The unknown address first: notices go out in order, one at a time, so once ada's mail is
  // there any mail for the unknown address would be there before it.
  for (const char* email : {"nobody@example.org", "ada@example.org"}) {
    auto asked = client.Post("/password/forgot", cookie, httplib::Params{{"email", email}, {"csrf", csrf}});
    ASSERT_TRUE(asked);
    EXPECT_EQ(asked->status, 200);
    EXPECT_NE(asked->body.find("If an account uses that address"), std::string::npos);
  }
  // Only the account's address gets a mail.
  ASSERT_TRUE(mailtest::wait_until(
      [&] {
        auto m = sink.messages();
        return !m.empty() && m.back().raw.find("X-Envelope-To: ada@example.org") != std::string::npos;
      },
      10));
  ASSERT_EQ(sink.messages().size(), 1U);
  auto mail = sink.messages()[0];
  EXPECT_NE(mail.raw.find("X-Envelope-To: ada@example.org"), std::string::npos);
  std::string link = mailtest::find_link(mail.text, "/password/reset?token=");
  ASSERT_TRUE(link.starts_with(base + "/password/reset?token=")) << mail.text;
  std::string token = link.substr(link.find("token=") + 6);

  auto set = [&](const std::string& password) {
    return client.Post("/password/reset", cookie,
                       httplib::Params{{"token", token}, {"password", password}, {"csrf", csrf}});
  };
  auto done = set("the new password 2");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  auto again = set("a third password 3");  // the link is bound to the old password: used once
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
  auto login = client.Post("/api/auth/token", R"({"email":"ada@example.org","password":"the new password 2"})",
                           "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200) << login->body;
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

TEST_F(MailFlowTest, ServeQueuesAndSendsTheDailyIssueOnItsOwn) {
  auto subs = confirmed(2);
  SmtpSink sink(sink_dir_.path());
  Process server(
      {paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0", "--smtp-url", sink.url()},
      {"PAPERBOY_MAIL_POLL_S=0.2", "PAPERBOY_MAIL_SEND_AT=00:00", "PAPERBOY_LOG_LEVEL=warn"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() >= 2; }, 15));
  // More passes queue nothing new: wait until the scheduler has run two more whole passes (its
  // count on /healthz) and every outbox row is sent, then count.
  auto passes = [&]() -> std::int64_t {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/healthz");
    if (!r || r->status != 200) return -1;
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_discarded() ? -1 : j["digest"].value("passes", std::int64_t{-1});
  };
  std::int64_t seen = passes();
  ASSERT_GE(seen, 0);
  ASSERT_TRUE(mailtest::wait_until([&] { return passes() >= seen + 2; }, 15));
  for (const auto& s : subs) {
    for (const auto& row : outbox(s.id)) EXPECT_NE(row.state, store::OutboxState::kPending) << s.email;
  }
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) EXPECT_TRUE(m.header("Message-ID").starts_with("<daily.")) << m.header("Message-ID");
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

TEST_F(MailFlowTest, ForgedAlteredExpiredAndMisusedLinksAreRefused) {
  auto subs = confirmed(1);
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0"},
                 {"PAPERBOY_LOG_LEVEL=warn"});
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  auto store = store::open_database({.url = dir_.file("paperboy.db")});
  auto signer = core::Signer::make(*store::signing_key_hex((*store)->papers()));
  ASSERT_TRUE(signer);
  std::string subject = std::to_string(subs[0].id) + ":" + subs[0].email;
  std::string good = signer->sign("mail-unsubscribe", subject, core::unix_now() + 3600);

  auto forged = client.Post("/unsubscribe?token=bm90IGEgdG9rZW4.AAAA", "List-Unsubscribe=One-Click",
                            "application/x-www-form-urlencoded");
  EXPECT_EQ(forged->status, 400);
  EXPECT_NE(forged->body.find("This link is not valid"), std::string::npos);
  std::string altered = good;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(client.Post("/unsubscribe?token=" + altered, "", "application/x-www-form-urlencoded")->status, 400);
  std::string expired = signer->sign("mail-unsubscribe", subject, core::unix_now() - 10);
  auto exp = client.Get("/unsubscribe?token=" + expired);
  EXPECT_EQ(exp->status, 403);
  EXPECT_NE(exp->body.find("expired"), std::string::npos);
  // A preview link cannot unsubscribe, and a token for another address cannot either.
  std::string preview = signer->sign("mail-preview", subject, core::unix_now() + 3600);
  EXPECT_EQ(client.Post("/unsubscribe?token=" + preview, "", "application/x-www-form-urlencoded")->status, 400);
  std::string other =
      signer->sign("mail-unsubscribe", std::to_string(subs[0].id) + ":eve@example.org", core::unix_now() + 3600);
  EXPECT_EQ(client.Post("/unsubscribe?token=" + other, "", "application/x-www-form-urlencoded")->status, 404);
  EXPECT_EQ(client.Get("/subscribe/confirm?token=" + expired)->status, 400);  // wrong purpose
  EXPECT_EQ(client.Get("/digest/preview?token=")->status, 400);
  auto mail = store::open_database({.url = dir_.file("paperboy.db")});
  EXPECT_EQ((*(*mail)->mail().subscription(subs[0].id))->status, store::SubscriptionStatus::kConfirmed);
  // The real link works.
  EXPECT_EQ(client.Post("/unsubscribe?token=" + good, "", "application/x-www-form-urlencoded")->status, 200);
  EXPECT_EQ((*(*mail)->mail().subscription(subs[0].id))->status, store::SubscriptionStatus::kUnsubscribed);
}

// A trending digest ranks as the trending page does: a paper curators hid stays out of it.
TEST_F(MailFlowTest, TrendingDigestsLeaveOutPapersCuratorsHid) {
  {
    auto db = store::open_database({.url = dir_.file("paperboy.db")});
    ASSERT_TRUE(db) << db.error().to_string();
    std::int64_t recent = core::unix_now() - 3600;
    ASSERT_TRUE(
        (*db)->papers().apply({.papers = {mailtest::paper("2611.00001", "Visible recent paper", "cs.LG", recent),
                                          mailtest::paper("2611.00002", "Hidden recent paper", "cs.LG", recent)}}));
    ASSERT_TRUE((*db)
                    ->curation()
                    .set_flag("2611.00002", core::format_iso_date(recent), store::CurationFlag::kHidden, true, 1,
                              core::unix_now())
                    .is_ok());
  }
  confirmed(1);
  SmtpSink sink(sink_dir_.path());
  ASSERT_GT(sink.port(), 0);
  std::string out = digest_send(sink.url());
  EXPECT_NE(out.find("sent 1 mails"), std::string::npos) << out;
  auto messages = sink.messages();  // a copy: the reference below must outlive this line
  ASSERT_EQ(messages.size(), 1u);
  const std::string& digest = messages[0].text;
  EXPECT_NE(digest.find("Visible recent paper"), std::string::npos) << digest;
  EXPECT_EQ(digest.find("Hidden recent paper"), std::string::npos) << digest;
}

TEST_F(MailFlowTest, MailWaitsWhileTheSmtpServerIsDownThenGoes) {
  auto subs = confirmed(3);
  // The sink holds its port without listening (connections refused) until it is opened.
  SmtpSink sink(sink_dir_.path(), 0, {"--closed"});
  ASSERT_GT(sink.port(), 0);
  std::string url = sink.url();
  std::string out = digest_send(url);  // nobody listens
  EXPECT_NE(out.find("sent 0 mails (3 newly queued, 3 to retry"), std::string::npos) << out;
  EXPECT_EQ(outbox(subs[0].id).back().state, store::OutboxState::kPending);
  EXPECT_FALSE(outbox(subs[0].id).back().last_error.empty());
  ASSERT_TRUE(sink.open());
  move_clock(5);  // past the 1 s backoff
  out = digest_send(url);
  EXPECT_NE(out.find("sent 3 mails"), std::string::npos) << out;
  EXPECT_EQ(sink.messages().size(), 3u);
  EXPECT_EQ(outbox(subs[0].id).back().attempts, 2);
}

TEST_F(MailFlowTest, TemporaryFailureIsRetriedAndSucceeds) {
  // An hour's backoff: the run right after the failure is surely before the retry is due; then
  // the test moves the clock past it.
  std::erase_if(env_, [](const std::string& e) { return e.starts_with("PAPERBOY_MAIL_RETRY_BACKOFF_S="); });
  env_.push_back("PAPERBOY_MAIL_RETRY_BACKOFF_S=3600");
  auto subs = confirmed(1);
  SmtpSink sink(sink_dir_.path());
  sink.control(R"({"mode": "tempfail", "count": 1})");
  std::string out = digest_send(sink.url());
  EXPECT_NE(out.find("sent 0 mails (1 newly queued, 1 to retry"), std::string::npos) << out;
  EXPECT_NE(outbox(subs[0].id).back().last_error.find("451"), std::string::npos);
  std::string early = digest_send(sink.url());
  EXPECT_NE(early.find("sent 0 mails"), std::string::npos) << early;  // not due yet
  EXPECT_TRUE(sink.messages().empty());
  move_clock(3601);
  out = digest_send(sink.url());
  EXPECT_NE(out.find("sent 1 mails"), std::string::npos) << out;
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(outbox(subs[0].id).back().state, store::OutboxState::kSent);
}

TEST_F(MailFlowTest, PermanentFailureIsRecordedNotRetriedAndPausesTheAddress) {
  auto subs = confirmed(1);
  SmtpSink sink(sink_dir_.path());
  sink.control(R"({"mode": "permfail"})");
  env_.push_back("PAPERBOY_MAIL_PAUSE_AFTER_FAILURES=1");
  std::string out = digest_send(sink.url());
  EXPECT_NE(out.find("1 failed"), std::string::npos) << out;
  auto row = outbox(subs[0].id).back();
  EXPECT_EQ(row.state, store::OutboxState::kFailed);
  EXPECT_NE(row.last_error.find("550"), std::string::npos) << row.last_error;
  sink.control(R"({"mode": "ok"})");
  move_clock(5);  // past any backoff: a retry would be due now
  EXPECT_NE(digest_send(sink.url()).find("sent 0 mails (0 newly queued"), std::string::npos);
  EXPECT_EQ(outbox(subs[0].id).back().attempts, 1);
  EXPECT_TRUE(sink.messages().empty());
  auto mail = store::open_database({.url = dir_.file("paperboy.db")});
  EXPECT_EQ((*(*mail)->mail().subscription(subs[0].id))->status, store::SubscriptionStatus::kPaused);
}

TEST_F(MailFlowTest, SenderKilledMidBatchStillGivesEverySubscriberExactlyOneDigest) {
  constexpr int kSubscribers = 12;
  auto subs = confirmed(kSubscribers);
  SmtpSink sink(sink_dir_.path());
  sink.control(R"({"mode": "ok", "hold_after": 4})");  // the 5th mail waits in DATA: killed mid-batch
  env_.push_back("PAPERBOY_MAIL_CLAIM_LEASE_S=1");
  {
    Process sender({paperboy_binary(), "--data-dir", dir_.path().string(), "digest", "send", "--smtp-url", sink.url(),
                    "--public-url", "http://127.0.0.1:9"},
                   env_);
    ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() >= 4; }, 20));
    sender.signal(SIGKILL);
    EXPECT_EQ(sender.wait(), 128 + SIGKILL);
  }
  ASSERT_EQ(sink.messages().size(), 4u);
  move_clock(5);  // the dead sender's 1 s claim has expired
  sink.control(R"({"mode": "ok"})");
  std::string out = digest_send(sink.url());
  EXPECT_NE(out.find("0 newly queued"), std::string::npos) << out;
  // Every subscriber has exactly one digest (one Message-ID). The only possible extra copy is the
  // one in flight at the kill, accepted by the server but not yet marked sent: same Message-ID.
  ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() >= kSubscribers; }, 5));
  std::map<std::string, std::set<std::string>> ids_by_rcpt;
  for (const auto& m : sink.messages()) {
    std::string rcpt = m.raw.substr(15, m.raw.find("\r\n") - 15);
    ids_by_rcpt[rcpt].insert(m.header("Message-ID"));
  }
  EXPECT_EQ(ids_by_rcpt.size(), static_cast<size_t>(kSubscribers));
  for (const auto& [rcpt, ids] : ids_by_rcpt) EXPECT_EQ(ids.size(), 1u) << rcpt;
  EXPECT_LE(sink.messages().size(), static_cast<size_t>(kSubscribers) + 1);
  for (const auto& s : subs) EXPECT_EQ(outbox(s.id).back().state, store::OutboxState::kSent) << s.email;
}

// Two hosts' cron jobs run `paperboy digest send` against one PostgreSQL at the same moment: both
// queue the issue and drain the outbox concurrently, and every subscriber still gets exactly one
// digest (claims are exclusive across processes; nobody crashed, so not even a same-id resend).
TEST_F(MailFlowTest, TwoDigestSendsAtOnceOnPostgresqlSendEachDigestOnce) {
  std::string url = testing::fresh_postgres_database();
  ASSERT_FALSE(url.empty());
  constexpr int kSubscribers = 16;
  ASSERT_NO_FATAL_FAILURE(mailtest::seed_confirmed_subscribers(url, kSubscribers));
  SmtpSink sink(sink_dir_.path());
  // Every DATA waits until both runs have a transaction open: they overlap by construction.
  sink.control(R"({"mode": "ok", "barrier": 2})");
  std::vector<std::string> args = {paperboy_binary(),   "--database", url,          "digest",   "send",
                                   "--frequency",       "daily",      "--smtp-url", sink.url(), "--public-url",
                                   "http://127.0.0.1:9"};
  Process first(args, env_), second(args, env_);
  std::string out1 = first.read_all(), out2 = second.read_all();
  ASSERT_EQ(first.wait(), 0) << out1;
  ASSERT_EQ(second.wait(), 0) << out2;
  auto sent = [](const std::string& out) { return std::stoi(out.substr(out.find("sent ") + 5)); };
  EXPECT_EQ(sent(out1) + sent(out2), kSubscribers) << out1 << out2;
  EXPECT_GT(sent(out1) * sent(out2), 0) << "the runs did not overlap: " << out1 << out2;
  std::set<std::string> rcpts, ids;
  for (const auto& m : sink.messages()) {
    rcpts.insert(m.raw.substr(15, m.raw.find("\r\n") - 15));
    ids.insert(m.header("Message-ID"));
  }
  EXPECT_EQ(sink.messages().size(), static_cast<size_t>(kSubscribers));
  EXPECT_EQ(rcpts.size(), static_cast<size_t>(kSubscribers));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kSubscribers));
}

}  // namespace
}  // namespace paperboy
