// `paperboy backup DEST`, `paperboy restore SRC` and `paperboy check`: a consistent copy of the
// database while `serve` runs, putting it back into an empty database, and checking a database and
// its search index. SQLite only for backup (PostgreSQL: pg_dump, see the README); restore also
// fills an empty PostgreSQL database from a SQLite backup. Search indexes are derived data: not
// backed up, removed on restore, rebuilt by the next `serve` (or `paperboy reindex`).
#include <spdlog/spdlog.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "core/time.h"
#include "store/backup.h"
#include "store/database.h"
#include "store/store_copy.h"
#include "store/table_copy.h"

namespace paperboy::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBackupFile = "paperboy.db";

std::string index_dir_of(const config::Config& cfg) {
  return cfg.search.index_dir.empty() ? (fs::path(cfg.data_dir) / "index").string() : cfg.search.index_dir;
}

// The database file of a backup: DEST/paperboy.db for a backup folder, or the file itself.
std::string backup_file(const std::string& src) {
  std::error_code ec;
  return fs::is_directory(src, ec) ? (fs::path(src) / kBackupFile).string() : src;
}

void backup(const config::Config& cfg, const std::string& dest) {
  std::string url = cfg.database_url();
  if (store::is_postgres_store_url(url)) {
    die(Status::invalid_argument("the database is PostgreSQL: back it up with pg_dump (README, \"Back up\"); "
                                 "`paperboy backup` copies SQLite databases"),
        2);
  }
  std::error_code ec;
  if (fs::exists(dest, ec) && !fs::is_empty(dest, ec))
    die(Status::already_exists(dest + " exists and is not empty"), 2);
  fs::create_directories(dest, ec);
  if (ec) die(Status::io_error("cannot create " + dest + ": " + ec.message()));
  std::string file = (fs::path(dest) / kBackupFile).string();
  auto started = std::chrono::steady_clock::now();
  if (Status s = store::backup_sqlite(store::sqlite_store_path(url), file); !s.is_ok()) die(s);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json manifest = {{"format", 1},
                             {"created_at", core::unix_now()},
                             {"source", url},
                             {"database", kBackupFile},
                             {"search_index", "not included: derived data, rebuilt by the next serve"}};
  std::ofstream(fs::path(dest) / "backup.json") << manifest.dump(2) << "\n";
  std::printf("backup: %s (%" PRIuMAX " bytes, %.2f s); restore with `paperboy restore %s`\n", file.c_str(),
              static_cast<std::uintmax_t>(fs::file_size(file, ec)), seconds, dest.c_str());
}

void restore_into_postgres(const std::string& source_url, const std::string& target_url) {
  auto source = store::open_database({.url = source_url});
  if (!source) die(source.error().with_context("backup"));
  auto target = store::open_database({.url = target_url});
  if (!target) die(target.error().with_context("target"));
  auto report = store::copy_store((*source)->papers(), (*target)->papers(), {});
  if (!report) die(report.error(), report.error().code() == StatusCode::kAlreadyExists ? 3 : 1);
  if (!report->verified()) die(Status::internal("restored papers or state differ from the backup"));
  auto tables = store::copy_tables((*source)->tables(), (*target)->tables(), false);
  if (!tables) die(tables.error(), tables.error().code() == StatusCode::kAlreadyExists ? 3 : 1);
  for (const auto& t : *tables) {
    if (t.missing_or_different > 0) die(Status::internal("restored table " + t.table + " differs from the backup"));
  }
}

void restore(const config::Config& cfg, const std::string& src) {
  std::string file = backup_file(src);
  auto problems = store::sqlite_problems(file);
  if (!problems) die(problems.error(), 2);
  if (!problems->empty()) die(Status::invalid_argument("backup " + file + " is damaged: " + problems->front()), 2);
  std::string url = cfg.database_url();
  if (store::is_postgres_store_url(url)) {
    restore_into_postgres("sqlite:" + file, url);
  } else {
    std::string path = store::sqlite_store_path(url);
    auto rows = store::sqlite_stored_rows(path);
    if (!rows) die(rows.error());
    if (*rows > 0) {
      die(Status::already_exists("the database " + path + " holds data (" + std::to_string(*rows) +
                                 " rows); restore only into an empty database (stop serve, move the file away)"),
          3);
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path(), ec);
    if (Status s = store::backup_sqlite(file, path); !s.is_ok()) die(s);
  }
  // The index followed another database's change sequence: it is rebuilt from the restored one.
  std::error_code ec;
  fs::remove_all(index_dir_of(cfg), ec);
  std::printf("restored %s into %s; search indexes rebuild on the next start\n", file.c_str(), url.c_str());
}

// Problems found, one line each (empty: sound); notes go to stdout as they are found.
std::vector<std::string> check(const config::Config& cfg) {
  std::vector<std::string> problems;
  std::string url = cfg.database_url();
  if (!store::is_postgres_store_url(url)) {
    auto found = store::sqlite_problems(store::sqlite_store_path(url));
    if (!found) return {found.error().to_string()};
    problems = std::move(*found);
    std::printf("database %s: SQLite integrity and foreign keys %s\n", url.c_str(), problems.empty() ? "ok" : "FAIL");
  }
  auto db = open_database(cfg);
  if (!db) return {db.error().to_string()};
  store::Store& store = (*db)->papers();
  // Reads and decodes every paper and state entry.
  auto digest = store::digest_store(store);
  if (!digest) {
    problems.push_back("reading the papers: " + digest.error().to_string());
    return problems;
  }
  auto seq = store.max_change_seq();
  if (!seq) return {seq.error().to_string()};
  std::printf("store: %" PRId64 " papers, %" PRId64 " state entries, change sequence %" PRId64 "\n", digest->papers,
              digest->state_entries, *seq);
  std::string lexical = (fs::path(index_dir_of(cfg)) / "lexical.db").string();
  std::error_code ec;
  if (!fs::exists(lexical, ec)) {
    std::printf("search index: none yet (built by the next serve or `paperboy reindex`)\n");
    return problems;
  }
  auto index_problems = store::sqlite_problems(lexical);
  if (!index_problems) return {index_problems.error().to_string()};
  for (auto& p : *index_problems) problems.push_back("search index: " + p);
  auto cursor = store::index_meta_value(lexical, "cursor");
  if (!cursor) {
    problems.push_back("search index: " + cursor.error().to_string());
  } else if (*cursor > *seq) {
    problems.push_back("search index is at change " + std::to_string(*cursor) + ", past the store's " +
                       std::to_string(*seq) + " (built from another database?): run `paperboy reindex`");
  } else {
    std::printf("search index: at change %" PRId64 " of %" PRId64 " (%" PRId64 " behind; serve applies them)\n",
                *cursor, *seq, *seq - *cursor);
  }
  return problems;
}

}  // namespace

void add_backup_commands(CLI::App& root, Invocation& inv) {
  auto dest = std::make_shared<std::string>();
  auto* b = root.add_subcommand("backup", "Write a consistent copy of the SQLite database into DEST (serve may run)");
  b->add_option("DEST", *dest, "a new or empty folder; gets paperboy.db and backup.json")->required();
  b->callback([&inv, dest] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    backup(*cfg, *dest);
  });
  auto src = std::make_shared<std::string>();
  auto* r = root.add_subcommand(
      "restore", "Restore a backup into the configured database, which must be empty (SQLite or PostgreSQL)");
  r->add_option("SRC", *src, "a backup folder (or its paperboy.db)")->required();
  r->callback([&inv, src] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    restore(*cfg, *src);
  });
  auto* c =
      root.add_subcommand("check", "Check the database and the search index against the store; exit 1 on a problem");
  c->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto problems = check(*cfg);
    for (const auto& p : problems) std::printf("PROBLEM: %s\n", p.c_str());
    if (!problems.empty()) exit_with(1);
    std::printf("ok\n");
  });
}

}  // namespace paperboy::cli
