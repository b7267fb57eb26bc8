// `paperboy harvest`: incremental OAI-PMH harvest into the store (arXiv by default, any OAI-PMH
// repository with --url). Ctrl-C stops between pages; a re-run resumes after the last stored page.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/command.h"
#include "core/time.h"
#include "ingest/harvest_schedule.h"
#include "ingest/oai_pmh.h"

namespace paperboy::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_harvest_interrupt(int /*signal*/) {
  if (g_stop.exchange(true)) _exit(130);  // a second Ctrl-C: leave now; every stored page is whole
}

Status check_date(const std::string& flag, const std::string& value) {
  if (value.empty()) return Status::ok();
  if (value.size() != 10 || !core::parse_iso8601(value)) {
    return Status::invalid_argument(flag + ": expected YYYY-MM-DD, got '" + value + "'");
  }
  return Status::ok();
}

}  // namespace

void add_harvest_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand(
      "harvest",
      "Harvest paper metadata over OAI-PMH (ListRecords) into the store. Incremental: without --from it continues "
      "from the newest datestamp of the last completed harvest of the same URL, set and prefix, and an interrupted "
      "harvest resumes after its last stored page. Polite by default (one request per 3 s, one connection).");
  auto sets = std::make_shared<std::vector<std::string>>();
  auto from = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  add_config_flag(*cmd, inv, "--url,--base-url", "harvest.base_url",
                  "OAI-PMH base URL (default arXiv: https://oaipmh.arxiv.org/oai)");
  add_config_flag(*cmd, inv, "--prefix", "harvest.prefix",
                  "metadataPrefix: arXiv (default), arXivRaw (with version history) or oai_dc (any repository)");
  cmd->add_option("--set", *sets,
                  "OAI-PMH set to harvest, repeatable (arXiv: cs, math, stat, physics:hep-th, ...); default: all "
                  "(config: harvest.sets, comma-separated)");
  cmd->add_option("--from", *from, "harvest records changed on or after YYYY-MM-DD (default: resume incrementally)");
  cmd->add_option("--until", *until, "harvest records changed on or before YYYY-MM-DD");
  add_config_flag(*cmd, inv, "--interval", "harvest.min_interval_s",
                  "seconds between requests (arXiv's terms: at least 3)");
  add_config_flag(*cmd, inv, "--contact", "harvest.contact", "contact e-mail sent in the User-Agent");
  add_config_flag(*cmd, inv, "--timeout", "harvest.timeout_s", "seconds one request may take");
  add_config_flag(*cmd, inv, "--max-attempts", "harvest.max_attempts", "tries per request before giving up");
  add_config_flag(*cmd, inv, "--backoff", "harvest.backoff_s", "first retry wait in seconds (doubles per retry)");
  cmd->callback([&inv, sets, from, until] {
    if (Status s = check_date("--from", *from); !s.is_ok()) die(s, 2);
    if (Status s = check_date("--until", *until); !s.is_ok()) die(s, 2);
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto options = ingest::oai_options_from(*cfg);
    if (!options) die(options.error(), 2);
    if (!sets->empty()) options->sets = *sets;
    options->from = *from;
    options->until = *until;
    options->stop = &g_stop;
    if (cfg->harvest.contact.empty()) {
      spdlog::warn("harvest.contact is empty: arXiv asks harvesters to give a contact address in the User-Agent");
    }
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    auto http_options = ingest::http_options_from(*cfg);
    http_options.cancel = &g_stop;  // Ctrl-C also cuts a slow transfer short; its page is not stored
    ingest::HttpClient http(http_options);
    ingest::OaiPmhHarvester harvester(store, http, *options);
    std::signal(SIGINT, on_harvest_interrupt);
    std::signal(SIGTERM, on_harvest_interrupt);
    auto summary = harvester.run();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!summary) die(summary.error());
    const auto& s = *summary;
    std::printf(
        "harvested %lld pages: records seen %lld, inserted %lld, updated %lld, unchanged %lld, stale %lld, "
        "rejected %lld, deleted %lld; %d retries, %d restarts%s; newest datestamp %s; %.1f s%s\n",
        static_cast<long long>(s.pages), static_cast<long long>(s.records), static_cast<long long>(s.inserted),
        static_cast<long long>(s.updated), static_cast<long long>(s.unchanged), static_cast<long long>(s.stale),
        static_cast<long long>(s.rejected), static_cast<long long>(s.deleted), s.retries, s.restarts,
        s.resumed ? "; resumed an interrupted harvest" : "", s.last_datestamp.empty() ? "-" : s.last_datestamp.c_str(),
        s.seconds, s.interrupted ? " (interrupted; re-run to continue)" : "");
    if (s.interrupted) exit_with(130);
  });
}

}  // namespace paperboy::cli
