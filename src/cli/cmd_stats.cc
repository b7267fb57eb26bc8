// `paperboy stats`: counts by primary category and by month.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/command.h"

namespace paperboy::cli {

void add_stats_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("stats", "Print paper counts by primary category and by month");
  auto json_out = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_out, "print one JSON object");
  cmd->callback([&inv, json_out] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    auto stats = store.stats();
    if (!stats) die(stats.error());
    if (*json_out) {
      nlohmann::ordered_json j;
      j["papers"] = stats->papers;
      j["max_change_seq"] = stats->max_change_seq;
      j["schema_version"] = stats->schema_version;
      j["oldest_listing_day"] = stats->oldest_listing_day;
      j["newest_listing_day"] = stats->newest_listing_day;
      j["by_category"] = nlohmann::ordered_json::object();
      for (const auto& c : stats->by_primary_category) j["by_category"][c.name] = c.count;
      j["by_month"] = nlohmann::ordered_json::object();
      for (const auto& m : stats->by_month) j["by_month"][m.name] = m.count;
      std::printf("%s\n", j.dump().c_str());
      return;
    }
    std::printf("papers: %lld (listing days %s .. %s)\n", static_cast<long long>(stats->papers),
                stats->oldest_listing_day.c_str(), stats->newest_listing_day.c_str());
    std::printf("\nby primary category:\n");
    for (const auto& c : stats->by_primary_category) {
      std::printf("  %-20s %10lld\n", c.name.c_str(), static_cast<long long>(c.count));
    }
    std::printf("\nby month:\n");
    for (const auto& m : stats->by_month)
      std::printf("  %-20s %10lld\n", m.name.c_str(), static_cast<long long>(m.count));
  });
}

}  // namespace paperboy::cli
