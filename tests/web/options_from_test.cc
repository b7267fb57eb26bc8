// The web server's settings from a configuration written as a user would write it (TOML).
#include "web/options_from.h"

#include <gtest/gtest.h>

namespace paperboy::web {
namespace {

TEST(WebOptionsFrom, ServerCommunityAndLibraryRowsReachTheServer) {
  config::Config c;
  ASSERT_TRUE(config::apply_config_text(c, R"([server]
host = "0.0.0.0"
port = 9090
threads = 12
io_threads = 3
max_queued = 50
max_body_bytes = 32768
max_headers = 40
read_timeout_ms = 4000
max_connections_per_address = 7
trusted_proxies = "10.0.0.0/8"
public_url = "https://papers.example.org"
access_log = "combined"

[community]
login_attempts = 9
submissions_per_hour = 2

[library]
comment_max_bytes = 500
comments_per_window = 2
comment_window_s = 90

[metrics]
listen = "127.0.0.1:9464"
)",
                                        "t.toml")
                  .is_ok());
  ServerOptions o = server_options_from(c);
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 9090);
  EXPECT_EQ(o.threads, 12);
  EXPECT_EQ(o.io_threads, 3);
  EXPECT_EQ(o.max_queued, 50u);
  EXPECT_EQ(o.limits.max_body_bytes, 32768u);
  EXPECT_EQ(o.limits.max_headers, 40u);
  EXPECT_EQ(o.limits.read_timeout_ms, 4000);
  EXPECT_EQ(o.limits.max_connections_per_address, 7);
  EXPECT_EQ(o.trusted_proxies, "10.0.0.0/8");
  EXPECT_EQ(o.public_url, "https://papers.example.org");
  EXPECT_TRUE(o.access_log);
  EXPECT_EQ(o.access_log_format, AccessLogFormat::kCombined);
  EXPECT_FALSE(o.generation_reads_database);  // the default database is SQLite
  EXPECT_EQ(o.metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(o.account_options.limits.account_free_failures, 9);
  EXPECT_EQ(o.submission_options.per_account, 2);
  EXPECT_EQ(o.library_options.comment_max_bytes, 500u);
  EXPECT_EQ(o.library_options.comments_per_window, 2);
  EXPECT_EQ(o.library_options.comment_window_s, 90);
  // Services are the assembler's to plug in.
  EXPECT_EQ(o.search, nullptr);
  EXPECT_EQ(o.community, nullptr);

  ASSERT_TRUE(
      config::apply_config_text(c, "database = \"postgresql://pb@db/pb\"\n[server]\naccess_log = \"off\"\n", "t.toml")
          .is_ok());
  o = server_options_from(c);
  EXPECT_FALSE(o.access_log);
  EXPECT_TRUE(o.generation_reads_database);
}

}  // namespace
}  // namespace paperboy::web
