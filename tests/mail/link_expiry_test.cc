// Expiry on a clock the test moves (PAPERBOY_TEST_CLOCK_FILE, read by core::unix_now()): a login
// session ends after its 30 days and a password reset link after its hour, against the real
// `paperboy serve` (the reset link arrives through a real SMTP server).
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "mail_test_support.h"
#include "support/web_forms.h"

namespace paperboy {
namespace {

using mailtest::SmtpSink;
using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

class LinkExpiryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    move_clock(0);
    std::ofstream(dir_.file("pw")) << "the old password 1\n";
    Process admin({paperboy_binary(), "--data-dir", dir_.path().string(), "user", "create-admin", "ada@example.org",
                   "--password-file", dir_.file("pw")},
                  env_);
    ASSERT_EQ(admin.wait(), 0);
  }
  void move_clock(std::int64_t seconds) { std::ofstream(dir_.file("clock")) << seconds << "\n"; }

  // A login form's CSRF cookie and token, fetched now (they expire too).
  std::pair<httplib::Headers, std::string> form(httplib::Client& client, const std::string& path) {
    auto page = client.Get(path);
    EXPECT_TRUE(page);
    return {{{"Cookie", "pb_csrf=" + testing::set_cookie(page, "pb_csrf")}}, testing::csrf_from(page->body)};
  }

  TempDir dir_, sink_dir_;
  std::vector<std::string> env_ = {"PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum", "PAPERBOY_LOG_LEVEL=warn",
                                   "PAPERBOY_SERVER_LOAD_DEMO_DATA=false",
                                   "PAPERBOY_TEST_CLOCK_FILE=" + dir_.file("clock")};
};

TEST_F(LinkExpiryTest, SessionEndsAfterThirtyDays) {
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0"}, env_);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  auto [cookie, csrf] = form(client, "/login");
  auto login =
      client.Post("/login", cookie,
                  httplib::Params{{"email", "ada@example.org"}, {"password", "the old password 1"}, {"csrf", csrf}});
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 303) << login->body;
  std::string session = testing::set_cookie(login, "pb_session");
  ASSERT_FALSE(session.empty());
  httplib::Headers with_session = {{"Cookie", "pb_session=" + session}};
  auto account = [&] {
    auto r = client.Get("/account", with_session);
    return r ? r->status : -1;
  };
  EXPECT_EQ(account(), 200);
  move_clock(29 * 24 * 3600);
  EXPECT_EQ(account(), 200);
  move_clock(30 * 24 * 3600 + 60);
  EXPECT_EQ(account(), 303);  // back to /login: the session is over
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

TEST_F(LinkExpiryTest, ResetLinkWorksWithinTheHourAndNotAfter) {
  SmtpSink sink(sink_dir_.path());
  ASSERT_GT(sink.port(), 0);
  Process server({paperboy_binary(), "--data-dir", dir_.path().string(), "serve", "--port", "0", "--public-url",
                  "http://paperboy.test", "--smtp-url", sink.url()},
                 env_);
  int port = testing::serving_port(server.read_line());
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  {
    auto [cookie, csrf] = form(client, "/password/forgot");
    auto asked = client.Post("/password/forgot", cookie, httplib::Params{{"email", "ada@example.org"}, {"csrf", csrf}});
    ASSERT_TRUE(asked);
    ASSERT_EQ(asked->status, 200);
  }
  ASSERT_TRUE(mailtest::wait_until([&] { return sink.messages().size() == 1; }, 10));
  std::string link = mailtest::find_link(sink.messages()[0].text, "/password/reset?token=");
  ASSERT_FALSE(link.empty()) << sink.messages()[0].text;
  std::string token = link.substr(link.find("token=") + 6);
  auto set = [&](const std::string& password) {
    auto [cookie, csrf] = form(client, "/password/reset?token=" + token);
    auto r = client.Post("/password/reset", cookie,
                         httplib::Params{{"token", token}, {"password", password}, {"csrf", csrf}});
    return r ? r->status : -1;
  };
  move_clock(3600 + 60);
  EXPECT_EQ(set("too late password 2"), 403);
  move_clock(3600 - 60);
  EXPECT_EQ(set("in time password 3"), 303);
  auto login = [&](const std::string& password) {
    auto r = client.Post("/api/auth/token", R"({"email":"ada@example.org","password":")" + password + R"("})",
                         "application/json");
    return r ? r->status : -1;
  };
  EXPECT_EQ(login("in time password 3"), 200);
  EXPECT_NE(login("too late password 2"), 200);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
}

}  // namespace
}  // namespace paperboy
