// The real `paperboy` binary on PostgreSQL, as a user runs it: `--database postgresql://...` (or
// PAPERBOY_DATABASE) on ingest, stats, show, search and migrate gives the same answers as the
// default SQLite store in the data directory.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/postgres_server.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy::store {
namespace {

using testing::paperboy_binary;
using testing::paperboy_source_dir;
using testing::Process;
using testing::TempDir;

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun paperboy(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
  args.insert(args.begin(), paperboy_binary());
  // A small vector model keeps search fast (the sanitizer build runs Eigen unoptimised).
  std::vector<std::string> full_env = {"PAPERBOY_SEARCH_DIMENSION=32"};
  full_env.insert(full_env.end(), env.begin(), env.end());
  Process p(args, full_env);
  CliRun r;
  r.out = p.read_all();
  r.code = p.wait();
  return r;
}

std::string fixture(const std::string& name) {
  return paperboy_source_dir() + "/tests/fixtures/ingest/" + name;
}

// stats --json without schema_version: each backend numbers its own schema migrations.
nlohmann::json stats_of(const std::vector<std::string>& where, const std::vector<std::string>& env = {}) {
  std::vector<std::string> args = where;
  args.insert(args.end(), {"stats", "--json"});
  CliRun r = paperboy(args, env);
  EXPECT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  if (j.is_object()) j.erase("schema_version");
  return j;
}

const std::vector<std::string> kFixtureIds = {"2507.14725", "2507.14758", "2507.14766"};

TEST(PostgresCli, IngestStatsAndShowAnswerTheSameOnPostgresqlAsOnSqlite) {
  TempDir dir;
  std::string pg = testing::fresh_postgres_database();
  ASSERT_FALSE(pg.empty());
  std::vector<std::string> sqlite = {"--data-dir", dir.file("sqlite")};
  CliRun a = paperboy({"--data-dir", dir.file("sqlite"), "ingest", fixture("good-10.jsonl")});
  ASSERT_EQ(a.code, 0) << a.out;
  // The flag after the subcommand, as every command accepts it.
  CliRun b = paperboy({"--data-dir", dir.file("pg"), "ingest", "--database", pg, fixture("good-10.jsonl")});
  ASSERT_EQ(b.code, 0) << b.out;
  EXPECT_NE(b.out.find("inserted 10"), std::string::npos) << b.out;
  EXPECT_FALSE(std::filesystem::exists(dir.file("pg/paperboy.db"))) << "PostgreSQL run wrote a SQLite file";

  nlohmann::json from_sqlite = stats_of(sqlite);
  EXPECT_EQ(from_sqlite["papers"], 10);
  EXPECT_EQ(stats_of({"--data-dir", dir.file("pg"), "--database", pg}), from_sqlite);
  EXPECT_EQ(stats_of({"--data-dir", dir.file("pg")}, {"PAPERBOY_DATABASE=" + pg}), from_sqlite);

  for (const auto& id : kFixtureIds) {
    CliRun s = paperboy({"--data-dir", dir.file("sqlite"), "show", "--json", id});
    CliRun p = paperboy({"--data-dir", dir.file("pg"), "show", id, "--json"}, {"PAPERBOY_DATABASE=" + pg});
    ASSERT_EQ(s.code, 0) << s.out;
    ASSERT_EQ(p.code, 0) << p.out;
    EXPECT_EQ(p.out, s.out);
    CliRun text = paperboy({"show", id, "--database", pg});
    EXPECT_EQ(text.code, 0);
    EXPECT_NE(text.out.find(id), std::string::npos) << text.out;
  }
  EXPECT_EQ(paperboy({"show", "2507.99999", "--database", pg}).code, 3);  // not in the store
}

TEST(PostgresCli, SearchFollowsPapersIngestedIntoPostgresql) {
  TempDir dir;
  std::string pg = testing::fresh_postgres_database();
  ASSERT_FALSE(pg.empty());
  std::vector<std::string> env = {"PAPERBOY_DATABASE=" + pg, "PAPERBOY_DATA_DIR=" + dir.file("data")};
  ASSERT_EQ(paperboy({"ingest", fixture("good-10.jsonl")}, env).code, 0);
  CliRun first = paperboy({"search", "task-agnostic prompt continual learning", "--mode", "lexical", "--json"}, env);
  ASSERT_EQ(first.code, 0) << first.out;
  auto hits = nlohmann::json::parse(first.out, nullptr, false);
  ASSERT_TRUE(hits.is_array() && !hits.empty()) << first.out;
  EXPECT_EQ(hits[0]["id"], "2507.14725");

  // A paper that arrives later is found by the next search: the index follows the change sequence.
  std::string line;
  {
    std::ifstream in(fixture("good-10.jsonl"));
    std::getline(in, line);
  }
  auto record = nlohmann::json::parse(line);
  record["id"] = "2507.99999";
  record["title"] = "Zyzzogeton beetles as a benchmark for retrieval";
  std::string extra = dir.file("extra.jsonl");
  std::ofstream(extra) << record.dump() << "\n";
  ASSERT_EQ(paperboy({"ingest", extra}, env).code, 0);
  CliRun second = paperboy({"search", "zyzzogeton", "--mode", "lexical", "--json"}, env);
  ASSERT_EQ(second.code, 0) << second.out;
  auto later = nlohmann::json::parse(second.out, nullptr, false);
  ASSERT_TRUE(later.is_array() && !later.empty()) << second.out;
  EXPECT_EQ(later[0]["id"], "2507.99999");
  EXPECT_EQ(later[0]["title"], "Zyzzogeton beetles as a benchmark for retrieval");
}

TEST(PostgresCli, MigrateCopiesSqliteIntoPostgresqlAndProvesIt) {
  TempDir dir;
  std::string pg = testing::fresh_postgres_database();
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(paperboy({"--data-dir", dir.file("sqlite"), "ingest", fixture("good-10.jsonl")}).code, 0);
  { std::ofstream(dir.file("password")) << "a long enough password\n"; }
  ASSERT_EQ(paperboy({"--data-dir", dir.file("sqlite"), "user", "create-admin", "ada@example.org", "--password-file",
                      dir.file("password")})
                .code,
            0);
  std::string from = "sqlite:" + dir.file("sqlite/paperboy.db");
  CliRun m = paperboy({"migrate", "--from", from, "--to", pg});
  ASSERT_EQ(m.code, 0) << m.out;
  EXPECT_NE(m.out.find("papers:   source 10, target 10 (inserted 10"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("(match)"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("verified"), std::string::npos) << m.out;
  // The ingest checkpoint (state) came along.
  EXPECT_NE(m.out.find("state:    source 1, target 1"), std::string::npos) << m.out;
  // The account came along too, and the administrator exists on PostgreSQL.
  EXPECT_NE(m.out.find("accounts:           source 1, target 1"), std::string::npos) << m.out;
  EXPECT_EQ(m.out.find("differ"), std::string::npos) << m.out;
  CliRun role = paperboy({"--database", pg, "user", "set-role", "ada@example.org", "curator"});
  EXPECT_EQ(role.code, 0) << role.out;
  EXPECT_EQ(stats_of({"--database", pg}), stats_of({"--data-dir", dir.file("sqlite")}));
  CliRun s = paperboy({"--data-dir", dir.file("sqlite"), "show", "--json", kFixtureIds[0]});
  CliRun p = paperboy({"--database", pg, "show", "--json", kFixtureIds[0]});
  EXPECT_EQ(p.out, s.out);

  CliRun refused = paperboy({"migrate", "--from", from, "--to", pg});
  EXPECT_EQ(refused.code, 3) << refused.out;
  CliRun forced = paperboy({"migrate", "--from", from, "--to", pg, "--force"});
  // The papers merge; the account row now differs (curator on PostgreSQL, admin in SQLite), and
  // the report says so instead of overwriting it.
  EXPECT_EQ(forced.code, 1) << forced.out;
  EXPECT_NE(forced.out.find("NOT verified: 1 rows"), std::string::npos) << forced.out;
  EXPECT_NE(forced.out.find("unchanged 10"), std::string::npos) << forced.out;
  EXPECT_NE(paperboy({"migrate", "--from", "sqlite:" + dir.file("nope.db"), "--to", pg}).code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("nope.db")));
}

}  // namespace
}  // namespace paperboy::store
