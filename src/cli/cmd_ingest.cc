// `paperboy ingest FILE...`: bulk load arXiv snapshot files. Ctrl-C stops after the current batch;
// a re-run continues where it stopped.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "ingest/snapshot_ingest.h"

namespace paperboy::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_interrupt(int /*signal*/) {
  if (g_stop.exchange(true)) _exit(130);  // a second Ctrl-C: leave now; the store stays consistent
}

}  // namespace

void add_ingest_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("ingest", "Load arXiv metadata snapshot files (JSON lines; plain, .gz or .zst)");
  auto files = std::make_shared<std::vector<std::string>>();
  auto strict = std::make_shared<bool>(false);
  auto restart = std::make_shared<bool>(false);
  cmd->add_option("FILE", *files, "snapshot files")->required();
  cmd->add_flag("--strict", *strict, "exit non-zero when any line is rejected");
  cmd->add_flag("--restart", *restart, "ignore resume checkpoints and read every file from the start");
  add_config_flag(*cmd, inv, "--batch-size", "ingest.batch_size", "papers per transaction");
  cmd->callback([&inv, files, strict, restart] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    ingest::IngestOptions options;
    options.batch_size = cfg->ingest.batch_size;
    options.resume = !*restart;
    options.progress_bar = isatty(STDERR_FILENO) != 0;
    options.stop = &g_stop;
    // Tests only: stop this process (SIGSTOP) once that many batches are committed, so a test can
    // kill it at a known point instead of racing it.
    if (const char* n = std::getenv("PAPERBOY_TEST_STOP_AFTER_BATCHES"); n != nullptr && *n != '\0') {
      options.on_batch_committed = [stop_after = std::atoll(n)](const ingest::IngestSummary& summary) {
        if (summary.batches == stop_after) std::raise(SIGSTOP);
      };
    }
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    auto summary = ingest::ingest_snapshot_files(store, *files, options);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!summary) die(summary.error());
    const auto& s = *summary;
    std::printf(
        "read %lld, inserted %lld, updated %lld, unchanged %lld, stale %lld, rejected %lld, skipped (already "
        "ingested) %lld in %.1f s%s\n",
        static_cast<long long>(s.read), static_cast<long long>(s.inserted), static_cast<long long>(s.updated),
        static_cast<long long>(s.unchanged), static_cast<long long>(s.stale), static_cast<long long>(s.rejected),
        static_cast<long long>(s.skipped_by_resume), s.seconds,
        s.interrupted ? " (interrupted; re-run to continue)" : "");
    if (s.interrupted) exit_with(130);
    // "Nothing could be read": no record was accepted, whether the file was empty or all garbage.
    if (s.read - s.rejected == 0 && s.skipped_by_resume == 0)
      die(Status::invalid_argument("no records could be read"), 1);
    if (*strict && s.rejected > 0) exit_with(1);
  });
}

}  // namespace paperboy::cli
