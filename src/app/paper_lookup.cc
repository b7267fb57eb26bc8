#include "app/paper_lookup.h"

#include <string>

#include "core/arxiv_id.h"

namespace paperboy::app {

Result<core::Paper> find_paper(store::Store& store, std::string_view raw_id) {
  auto parsed = core::parse_arxiv_id(raw_id);
  if (!parsed) {
    return fail(Status::invalid_argument("'" + std::string(raw_id) + "' is not an arXiv id such as 2401.00001"));
  }
  auto paper = store.get_paper(parsed->id);
  if (!paper) return fail(paper.error());
  if (!*paper) return fail(Status::not_found("no paper " + parsed->id + " on this server"));
  return std::move((*paper)->paper);
}

}  // namespace paperboy::app
