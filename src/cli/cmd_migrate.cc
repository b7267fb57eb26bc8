// `paperboy migrate --from sqlite:PATH --to postgresql://...`: copies every paper (with its version
// history) and every state entry from one store into another, then the community and mail tables
// (accounts, sessions, API tokens, votes, subscriptions, outbox), verifies the copy and prints
// counts and checksums of both sides. Refuses a non-empty target unless --force.
#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "store/database.h"
#include "store/store_copy.h"
#include "store/table_copy.h"

namespace paperboy::cli {
namespace {

// The SQLite store creates a missing file on open; a migration source must already exist.
Status check_source_exists(const std::string& url) {
  if (store::is_postgres_store_url(url)) return Status::ok();
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::not_found("source database " + path + " does not exist");
  return Status::ok();
}

}  // namespace

void add_migrate_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand(
      "migrate",
      "Copy every paper, state entry, account, vote and mail row from one store to another (e.g. SQLite to "
      "PostgreSQL), verified");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto batch = std::make_shared<int>(1000);
  cmd->add_option("--from", *from, "source store URL: sqlite:PATH (or postgresql://...)")->required();
  cmd->add_option("--to", *to, "target store URL: postgresql://USER@HOST:PORT/DB (or sqlite:PATH)")->required();
  cmd->add_flag("--force", *force, "copy into a target that already holds data (merges under the version rules)");
  cmd->add_option("--batch-size", *batch, "papers per target transaction")->check(CLI::Range(1, 100000));
  cmd->callback([&inv, from, to, force, batch] {
    auto cfg = load(inv);  // for the log level
    if (!cfg) die(cfg.error());
    if (*from == *to) die(Status::invalid_argument("--from and --to name the same store"), 2);
    if (Status s = check_source_exists(*from); !s.is_ok()) die(s, 2);
    auto source = store::open_database({.url = *from});
    if (!source) die(source.error().with_context("source"));
    auto target = store::open_database({.url = *to});
    if (!target) die(target.error().with_context("target"));
    store::CopyOptions options{.batch_size = *batch, .allow_non_empty_target = *force};
    auto reported = std::make_shared<std::int64_t>(0);
    options.on_progress = [reported](std::int64_t n) {
      if (n - *reported < 50000) return;
      *reported = n;
      std::fprintf(stderr, "migrate: %" PRId64 " papers copied\n", n);
    };
    auto report = store::copy_store((*source)->papers(), (*target)->papers(), options);
    if (!report) die(report.error(), report.error().code() == StatusCode::kAlreadyExists ? 3 : 1);
    const auto& r = *report;
    std::printf("papers:   source %" PRId64 ", target %" PRId64 " (inserted %" PRId64 ", updated %" PRId64
                ", unchanged %" PRId64 ", stale %" PRId64 ")\n",
                r.source.papers, r.target.papers, r.totals.inserted, r.totals.updated, r.totals.unchanged,
                r.totals.stale);
    std::printf("state:    source %" PRId64 ", target %" PRId64 "\n", r.source.state_entries, r.target.state_entries);
    std::printf("checksum: source %016" PRIx64 "/%016" PRIx64 ", target %016" PRIx64 "/%016" PRIx64 " (%s)\n",
                r.source.papers_checksum, r.source.state_checksum, r.target.papers_checksum, r.target.state_checksum,
                r.source == r.target ? "match" : "differ");
    if (!r.verified()) {
      std::printf("NOT verified: %" PRId64 " papers and %" PRId64
                  " state entries are missing or different in the target\n",
                  r.missing_or_different_papers, r.missing_or_different_state);
      exit_with(1);
    }
    // Accounts, votes, mail, curation and the library: copied with their ids, after the papers.
    auto tables = store::copy_tables((*source)->tables(), (*target)->tables(), *force);
    if (!tables) die(tables.error(), tables.error().code() == StatusCode::kAlreadyExists ? 3 : 1);
    std::int64_t bad_rows = 0;
    for (const auto& t : *tables) {
      std::printf("%-19s source %" PRId64 ", target %" PRId64 ", checksum %016" PRIx64 "/%016" PRIx64 " (%s)\n",
                  (t.table + ":").c_str(), t.source_rows, t.target_rows, t.source_checksum, t.target_checksum,
                  t.source_checksum == t.target_checksum && t.source_rows == t.target_rows ? "match" : "differ");
      bad_rows += t.missing_or_different;
    }
    if (bad_rows > 0) {
      std::printf("NOT verified: %" PRId64
                  " rows of accounts, votes, mail, curation or library tables are missing or different in the target\n",
                  bad_rows);
      exit_with(1);
    }
    std::printf("verified: every paper, state entry and row of the source is in the target, identical\n");
  });
}

}  // namespace paperboy::cli
