// `paperboy thumbnails`: makes the missing first-page thumbnails now, in the foreground, with the
// job serve runs in the background (thumbs/thumbnail_job.h): newest papers first, one PDF request
// at a time, a line per paper. Ctrl-C stops after the current paper; every paper done is recorded,
// so running it again continues with the rest.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/command.h"
#include "core/time.h"
#include "store/thumbnail_files.h"
#include "thumbs/thumbnail_job.h"

namespace paperboy::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_thumbnails_interrupt(int /*signal*/) {
  if (g_stop.exchange(true)) _exit(130);  // a second Ctrl-C: leave now; every recorded paper is whole
}

}  // namespace

void add_thumbnails_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand(
      "thumbnails",
      "Make the missing first-page thumbnails now: fetch each paper's PDF (thumbnails.pdf_url, one request every "
      "thumbnails.delay_ms, as arXiv asks), render its first page to WebP and record it. Newest papers first; "
      "papers done or failed for good are skipped, so an interrupted run continues where it stopped.");
  auto since = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(0);
  cmd->add_option("--since", *since, "only papers listed on or after YYYY-MM-DD");
  cmd->add_option("--limit", *limit, "stop after this many papers (0: all due)")->check(CLI::NonNegativeNumber);
  add_config_flag(*cmd, inv, "--pdf-url", "thumbnails.pdf_url", "where PDFs are fetched ({id}: the arXiv id)");
  add_config_flag(*cmd, inv, "--delay-ms", "thumbnails.delay_ms", "milliseconds between requests (arXiv: 3000)");
  add_config_flag(*cmd, inv, "--contact", "thumbnails.contact", "contact e-mail sent in the User-Agent");
  cmd->callback([&inv, since, limit] {
    if (!since->empty() && (since->size() != 10 || !core::parse_iso8601(*since))) {
      die(Status::invalid_argument("--since: expected YYYY-MM-DD, got '" + *since + "'"), 2);
    }
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    if (cfg->thumbnails.contact.empty() && cfg->harvest.contact.empty()) {
      spdlog::warn("thumbnails.contact is empty: arXiv asks for a contact address in the User-Agent");
    }
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto http_options = thumbs::thumbnail_http_options_from(*cfg);
    http_options.cancel = &g_stop;  // Ctrl-C also cuts a slow download short; that paper is not recorded
    ingest::HttpClient http(http_options);
    thumbs::ThumbnailJob job((*db)->thumbnails(), store::ThumbnailFiles(cfg->thumbnail_dir()), http,
                             thumbs::thumbnail_job_options_from(*cfg));
    std::signal(SIGINT, on_thumbnails_interrupt);
    std::signal(SIGTERM, on_thumbnails_interrupt);
    auto summary = job.run(
        g_stop, [](double s) { return ingest::sleep_unless_stopped(s, &g_stop); }, *since, *limit,
        [](const thumbs::ThumbnailOutcome& o) {
          if (o.state == store::ThumbnailState::kOk) {
            std::printf("%s ok %lld bytes, rendered in %.1f ms\n", o.paper_id.c_str(), static_cast<long long>(o.bytes),
                        o.render_ms);
          } else {
            std::printf("%s %s: %s\n", o.paper_id.c_str(), std::string(store::thumbnail_state_name(o.state)).c_str(),
                        o.error.c_str());
          }
          std::fflush(stdout);
        });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!summary) die(summary.error());
    const auto& s = *summary;
    std::printf("thumbnails: %lld tried, %lld made, %lld failed, %lld to retry later%s\n",
                static_cast<long long>(s.tried), static_cast<long long>(s.ok), static_cast<long long>(s.failed),
                static_cast<long long>(s.retry), s.interrupted ? " (interrupted; run again to continue)" : "");
    if (s.interrupted) exit_with(130);
  });
}

}  // namespace paperboy::cli
