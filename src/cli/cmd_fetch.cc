// `paperboy fetch ID...`: look papers up through arXiv's API (id_list) and store them; for the odd
// paper a harvest has not brought yet. Same politeness and retry rules as `paperboy harvest`.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <set>

#include "cli/command.h"
#include "core/arxiv_id.h"
#include "ingest/arxiv_api.h"
#include "ingest/harvest_schedule.h"

namespace paperboy::cli {

void add_fetch_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("fetch", "Fetch papers by arXiv id from the arXiv API and store them");
  auto ids = std::make_shared<std::vector<std::string>>();
  cmd->add_option("ID", *ids, "arXiv ids (2403.01234, arXiv:2403.01234v2, hep-th/9901001, abs URLs)")->required();
  add_config_flag(*cmd, inv, "--api-url", "harvest.api_url",
                  "arXiv API query URL (default https://export.arxiv.org/api/query)");
  add_config_flag(*cmd, inv, "--interval", "harvest.min_interval_s",
                  "seconds between requests (arXiv's terms: at least 3)");
  add_config_flag(*cmd, inv, "--contact", "harvest.contact", "contact e-mail sent in the User-Agent");
  cmd->callback([&inv, ids] {
    std::vector<std::string> wanted;
    for (const auto& text : *ids) {
      auto id = core::parse_arxiv_id(text);
      if (!id) die(id.error().with_context("'" + text + "'"), 2);
      if (std::find(wanted.begin(), wanted.end(), id->id) == wanted.end()) wanted.push_back(id->id);
    }
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    ingest::HttpClient http(ingest::http_options_from(*cfg));
    ingest::ArxivApiClient api(http, ingest::api_options_from(*cfg));
    auto papers = api.fetch_papers(wanted);
    if (!papers) die(papers.error());
    std::set<std::string> found;
    for (const auto& p : *papers) found.insert(p.id);
    store::WriteBatch batch;
    batch.papers = std::move(*papers);
    auto applied = store.apply(batch);
    if (!applied) die(applied.error());
    std::int64_t missing = 0;
    for (const auto& id : wanted) {
      if (!found.contains(id)) {
        std::fprintf(stderr, "not found on arXiv: %s\n", id.c_str());
        ++missing;
      }
    }
    std::printf("fetched %zu of %zu: records seen %zu, inserted %lld, updated %lld, unchanged %lld, stale %lld\n",
                found.size(), wanted.size(), found.size(), static_cast<long long>(applied->inserted),
                static_cast<long long>(applied->updated), static_cast<long long>(applied->unchanged),
                static_cast<long long>(applied->stale));
    if (missing > 0) exit_with(1);
  });
}

}  // namespace paperboy::cli
