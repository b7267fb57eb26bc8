// Configuration through the real binary: precedence (flag > environment > file) for each layer
// alone and together, wrong types in each layer, out-of-range values, and TOML syntax errors,
// each with the message a user needs (the file, line and column, or the setting and what it wanted).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy {
namespace {

using testing::paperboy_binary;
using testing::Process;
using testing::TempDir;

struct Outcome {
  int code = 0;
  std::string out;  // stdout and stderr
};

Outcome run(const TempDir& dir, std::vector<std::string> args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {paperboy_binary(), "--data-dir", dir.path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  Process p(argv, env, true);
  Outcome r;
  while (auto line = p.read_line()) {
    r.out += *line + "\n";
    // A serve that should have refused its settings is stopped rather than waited for.
    if (line->find("serving on") != std::string::npos) p.signal(SIGTERM);
  }
  r.code = p.wait();
  return r;
}

void write(const TempDir& dir, const std::string& toml) {
  std::ofstream(dir.file("paperboy.toml")) << toml;
}

TEST(Config, FlagBeatsEnvironmentBeatsFile) {
  TempDir dir;
  write(dir, "log_level = \"error\"\n[server]\nthreads = 3\n[mail]\nfrom = \"file@example.org\"\n");
  // Each layer alone over the defaults.
  Outcome file = run(dir, {"config"});
  ASSERT_EQ(file.code, 0) << file.out;
  EXPECT_NE(file.out.find("log_level = error"), std::string::npos) << file.out;
  EXPECT_NE(file.out.find("server.threads = 3"), std::string::npos) << file.out;
  // The environment over the file, setting by setting.
  Outcome env = run(dir, {"config"}, {"PAPERBOY_LOG_LEVEL=warn", "PAPERBOY_MAIL_FROM=env@example.org"});
  ASSERT_EQ(env.code, 0) << env.out;
  EXPECT_NE(env.out.find("log_level = warn"), std::string::npos) << env.out;
  EXPECT_NE(env.out.find("mail.from = env@example.org"), std::string::npos) << env.out;
  EXPECT_NE(env.out.find("server.threads = 3"), std::string::npos) << env.out;  // untouched: the file's
  // A flag over both.
  Outcome flag = run(dir, {"--log-level", "info", "config"}, {"PAPERBOY_LOG_LEVEL=warn"});
  ASSERT_EQ(flag.code, 0) << flag.out;
  EXPECT_NE(flag.out.find("log_level = info"), std::string::npos) << flag.out;
  EXPECT_NE(flag.out.find("mail.from = file@example.org"), std::string::npos) << flag.out;
  // An explicit --config file replaces the data directory's.
  std::ofstream(dir.file("other.toml")) << "[server]\nthreads = 7\n";
  Outcome other = run(dir, {"--config", dir.file("other.toml"), "config"});
  ASSERT_EQ(other.code, 0) << other.out;
  EXPECT_NE(other.out.find("server.threads = 7"), std::string::npos) << other.out;
  Outcome missing = run(dir, {"--config", dir.file("missing.toml"), "config"});
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.out.find("missing.toml does not exist"), std::string::npos) << missing.out;
}

TEST(Config, WrongTypesNameTheSettingAndTheLayer) {
  TempDir dir;
  write(dir, "[server]\nport = \"eighty\"\n");
  Outcome file = run(dir, {"config"});
  EXPECT_NE(file.code, 0);
  EXPECT_NE(file.out.find("paperboy.toml"), std::string::npos) << file.out;
  EXPECT_NE(file.out.find("server.port"), std::string::npos) << file.out;
  EXPECT_NE(file.out.find("expected an integer, got 'eighty'"), std::string::npos) << file.out;
  write(dir, "[server]\nport = 1.5\n");
  Outcome fraction = run(dir, {"config"});
  EXPECT_NE(fraction.code, 0);
  EXPECT_NE(fraction.out.find("expected an integer"), std::string::npos) << fraction.out;
  write(dir, "[community]\nenabled = \"maybe\"\n");
  Outcome boolean = run(dir, {"config"});
  EXPECT_NE(boolean.code, 0);
  EXPECT_NE(boolean.out.find("expected true or false, got 'maybe'"), std::string::npos) << boolean.out;
  write(dir, "[server]\nport = [1, 2]\n");
  Outcome array = run(dir, {"config"});
  EXPECT_NE(array.code, 0);
  EXPECT_NE(array.out.find("unsupported value type for 'server.port'"), std::string::npos) << array.out;
  std::filesystem::remove(dir.file("paperboy.toml"));
  Outcome env = run(dir, {"config"}, {"PAPERBOY_MAIL_RATE_PER_SECOND=fast"});
  EXPECT_NE(env.code, 0);
  EXPECT_NE(env.out.find("PAPERBOY_MAIL_RATE_PER_SECOND"), std::string::npos) << env.out;
  EXPECT_NE(env.out.find("expected a number, got 'fast'"), std::string::npos) << env.out;
  Outcome flag = run(dir, {"serve", "--port", "http"});
  EXPECT_NE(flag.code, 0);
  EXPECT_NE(flag.out.find("server.port"), std::string::npos) << flag.out;
  EXPECT_NE(flag.out.find("expected an integer, got 'http'"), std::string::npos) << flag.out;
  write(dir, "[sever]\nport = 1\n");
  Outcome typo = run(dir, {"config"});
  EXPECT_NE(typo.code, 0);
  EXPECT_NE(typo.out.find("unknown setting 'sever.port'"), std::string::npos) << typo.out;
}

TEST(Config, OutOfRangeValuesAreRefusedBeforeAnythingStarts) {
  TempDir dir;
  Outcome big = run(dir, {"serve", "--port", "70000"});  // would bind 4464 if truncated to 16 bits
  EXPECT_NE(big.code, 0);
  EXPECT_NE(big.out.find("server.port: must be between 0 and 65535, got 70000"), std::string::npos) << big.out;
  EXPECT_EQ(big.out.find("serving on"), std::string::npos) << big.out;
  Outcome negative = run(dir, {"serve"}, {"PAPERBOY_SERVER_PORT=-1"});
  EXPECT_NE(negative.code, 0);
  EXPECT_NE(negative.out.find("server.port"), std::string::npos) << negative.out;
  EXPECT_EQ(negative.out.find("serving on"), std::string::npos) << negative.out;
  Outcome threads = run(dir, {"serve", "--port", "0", "--threads", "0"});
  EXPECT_NE(threads.code, 0);
  EXPECT_NE(threads.out.find("server.threads"), std::string::npos) << threads.out;
  EXPECT_EQ(threads.out.find("serving on"), std::string::npos) << threads.out;
  Outcome rate = run(dir, {"config"}, {"PAPERBOY_MAIL_RATE_PER_SECOND=-5"});
  EXPECT_NE(rate.code, 0);
  EXPECT_NE(rate.out.find("mail.rate_per_second"), std::string::npos) << rate.out;
  Outcome log = run(dir, {"serve", "--port", "0"}, {"PAPERBOY_SERVER_ACCESS_LOG=apache"});
  EXPECT_NE(log.code, 0);
  EXPECT_NE(log.out.find("server.access_log: must be json, combined or off, got 'apache'"), std::string::npos)
      << log.out;
  EXPECT_EQ(log.out.find("serving on"), std::string::npos) << log.out;
}

TEST(Config, EveryRowRefusesWhatItDoesNotAllowInEveryLayer) {
  TempDir dir;
  // A setting with no range check of its own before the rows had one (dimension 0 reached the
  // encoder); an unknown log level, which spdlog turns into "off" and so silenced every log.
  write(dir, "[search]\ndimension = 0\n");
  Outcome file = run(dir, {"config"});
  EXPECT_NE(file.code, 0);
  EXPECT_NE(file.out.find(dir.file("paperboy.toml") + ": search.dimension: must be between 2 and 2048, got 0"),
            std::string::npos)
      << file.out;
  std::filesystem::remove(dir.file("paperboy.toml"));
  Outcome env = run(dir, {"config"}, {"PAPERBOY_LOG_LEVEL=verbose"});
  EXPECT_NE(env.code, 0);
  EXPECT_NE(env.out.find("PAPERBOY_LOG_LEVEL: log_level: must be trace, debug, info, warn, error, critical or off, "
                         "got 'verbose'"),
            std::string::npos)
      << env.out;
  Outcome flag = run(dir, {"harvest", "--prefix", "marc"});
  EXPECT_NE(flag.code, 0);
  EXPECT_NE(flag.out.find("command line: harvest.prefix: must be arXiv, arXivRaw or oai_dc, got 'marc'"),
            std::string::npos)
      << flag.out;
  Outcome low = run(dir, {"config"}, {"PAPERBOY_COMMUNITY_SUBMISSIONS_PER_HOUR=0"});
  EXPECT_NE(low.code, 0);
  EXPECT_NE(low.out.find("community.submissions_per_hour: must be at least 1, got 0"), std::string::npos) << low.out;
  // The edges themselves are allowed.
  Outcome edges = run(dir, {"config"}, {"PAPERBOY_SEARCH_DIMENSION=2", "PAPERBOY_RECOMMEND_WINDOW_DAYS=365"});
  ASSERT_EQ(edges.code, 0) << edges.out;
  EXPECT_NE(edges.out.find("search.dimension = 2 "), std::string::npos) << edges.out;
  EXPECT_NE(edges.out.find("recommend.window_days = 365 "), std::string::npos) << edges.out;
}

TEST(Config, TheTemplateIsAConfigFileThatReadsBackTheSameSettings) {
  TempDir dir;
  // Defaults only: every line commented out, each setting with its environment variable.
  Outcome plain = run(dir, {"config", "--template"});
  ASSERT_EQ(plain.code, 0) << plain.out;
  for (const char* line : {"\n[server]\n", "# port = 8080\n", "(PAPERBOY_SERVER_PORT)", "between 0 and 65535",
                           "# access_log = \"json\"\n", "json, combined or off", "\n[search]\n"}) {
    EXPECT_NE(plain.out.find(line), std::string::npos) << line << "\n" << plain.out;
  }
  // Settings that differ are written as values; the file they make reads back to the same config.
  Outcome set = run(dir, {"--log-level", "warn", "config", "--template"},
                    {"PAPERBOY_SERVER_THREADS=3", "PAPERBOY_MAIL_FROM=a \"quoted\" \\ name <a@b.example>",
                     "PAPERBOY_MAIL_POLL_S=2.5", "PAPERBOY_MAIL_SMTP_PASSWORD=secret"});
  ASSERT_EQ(set.code, 0) << set.out;
  EXPECT_NE(set.out.find("\nlog_level = \"warn\"\n"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find("\nthreads = 3\n"), std::string::npos) << set.out;
  EXPECT_NE(set.out.find("\npoll_s = 2.5\n"), std::string::npos) << set.out;
  EXPECT_EQ(set.out.find("secret"), std::string::npos) << "a password was written out";
  std::ofstream(dir.file("written.toml")) << set.out;
  Outcome back = run(dir, {"--config", dir.file("written.toml"), "config"});
  ASSERT_EQ(back.code, 0) << back.out;
  Outcome direct = run(dir, {"--log-level", "warn", "config"},
                       {"PAPERBOY_SERVER_THREADS=3", "PAPERBOY_MAIL_FROM=a \"quoted\" \\ name <a@b.example>",
                        "PAPERBOY_MAIL_POLL_S=2.5"});
  ASSERT_EQ(direct.code, 0) << direct.out;
  EXPECT_EQ(back.out, direct.out);
}

TEST(Config, TheDebianConffileIsTheTemplateForTheSystemDataDirectory) {
  // deploy/paperboy.toml (installed as /etc/paperboy/paperboy.toml) cannot drift from the option
  // table: it must be exactly what the binary writes. Regenerate it with
  //   paperboy --data-dir /var/lib/paperboy --config /dev/null config --template > deploy/paperboy.toml
  Process p({paperboy_binary(), "--data-dir", "/var/lib/paperboy", "--config", "/dev/null", "config", "--template"}, {},
            true);
  Outcome t;
  while (auto line = p.read_line()) t.out += *line + "\n";
  t.code = p.wait();
  ASSERT_EQ(t.code, 0) << t.out;
  std::ifstream in(std::string(PAPERBOY_TEST_SOURCE_DIR) + "/deploy/paperboy.toml", std::ios::binary);
  ASSERT_TRUE(in) << "deploy/paperboy.toml is missing";
  std::string shipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(shipped.find("\ndata_dir = \"/var/lib/paperboy\"\n"), std::string::npos);
  EXPECT_EQ(shipped, t.out) << "deploy/paperboy.toml is out of date; regenerate it (see this test)";
}

TEST(Config, TomlSyntaxErrorsGiveFileLineAndColumn) {
  TempDir dir;
  write(dir, "[server]\nport = 8080\nhost = \"127.0.0.1\n");  // unterminated string on line 3
  Outcome r = run(dir, {"config"});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find(dir.file("paperboy.toml") + ":3:"), std::string::npos) << r.out;
  write(dir, "[server\nport = 8080\n");
  Outcome header = run(dir, {"config"});
  EXPECT_NE(header.code, 0);
  EXPECT_NE(header.out.find(dir.file("paperboy.toml") + ":1:"), std::string::npos) << header.out;
  write(dir, "[server]\nport = 8080\nport = 8081\n");
  Outcome twice = run(dir, {"config"});
  EXPECT_NE(twice.code, 0);
  EXPECT_NE(twice.out.find(":3:"), std::string::npos) << twice.out;
}

}  // namespace
}  // namespace paperboy
