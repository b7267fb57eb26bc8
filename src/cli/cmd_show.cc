// `paperboy show ID`: one paper, as text or JSON.
#include <cstdio>

#include "cli/command.h"
#include "core/arxiv_id.h"
#include "core/paper_json.h"
#include "core/time.h"

namespace paperboy::cli {

void add_show_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("show", "Show one paper by arXiv id (any form: 2403.01234v2, arXiv:..., URL)");
  auto id = std::make_shared<std::string>();
  auto json_out = std::make_shared<bool>(false);
  cmd->add_option("ID", *id, "arXiv id")->required();
  cmd->add_flag("--json", *json_out, "print JSON");
  cmd->callback([&inv, id, json_out] {
    auto parsed = core::parse_arxiv_id(*id);
    if (!parsed) die(parsed.error(), 2);
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& store = (*db)->papers();
    auto found = store.get_paper(parsed->id);
    if (!found) die(found.error());
    if (!*found) die(Status::not_found("paper " + parsed->id + " is not in the store"), 3);
    const core::Paper& p = (*found)->paper;
    if (*json_out) {
      std::printf("%s\n", core::paper_to_json(p).dump(2).c_str());
      return;
    }
    std::printf("%s  [%s]\n%s\n\n", p.id.c_str(), p.primary_category().c_str(), p.title.c_str());
    std::string authors;
    for (const auto& a : p.authors) authors += (authors.empty() ? "" : ", ") + a.display_name();
    std::printf("Authors:    %s\n", authors.c_str());
    std::string cats;
    for (const auto& c : p.categories) cats += (cats.empty() ? "" : " ") + c;
    std::printf("Categories: %s\n", cats.c_str());
    std::printf("Listed:     %s   Updated: %s\n", p.listing_day().c_str(), p.last_updated().c_str());
    for (const auto& v : p.versions) std::printf("  v%d  %s\n", v.number, core::format_rfc2822(v.created).c_str());
    if (!p.comments.empty()) std::printf("Comments:   %s\n", p.comments.c_str());
    if (!p.journal_ref.empty()) std::printf("Journal:    %s\n", p.journal_ref.c_str());
    if (!p.doi.empty()) std::printf("DOI:        %s\n", p.doi.c_str());
    std::printf("\n%s\n\nhttps://arxiv.org/abs/%s\n", p.abstract.c_str(), p.id.c_str());
  });
}

}  // namespace paperboy::cli
