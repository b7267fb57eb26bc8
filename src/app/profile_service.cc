#include "app/profile_service.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace paperboy::app {

Result<std::optional<store::Account>> ProfileService::find(std::string_view ref) {
  if (ref.empty() || ref.size() > 100) return std::optional<store::Account>();
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec == std::errc() && end == ref.data() + ref.size()) {
    // A name of digits only is shadowed by the account with that id; links use ids anyway.
    auto account = accounts_.get_account(id);
    if (!account) return fail(account.error());
    if (!*account) return std::optional<store::Account>();
    return std::optional<store::Account>((*account)->account);
  }
  return accounts_.find_account_by_name(ref);
}

Result<std::string> ProfileService::paper_title(const std::string& paper_id) {
  auto p = papers_.get_paper(paper_id);
  if (!p) return fail(p.error());
  return *p ? (*p)->paper.title : std::string();
}

Result<MemberProfile> ProfileService::profile(std::string_view ref) {
  auto account = find(ref);
  if (!account) return fail(account.error());
  if (!*account) return fail(Status::not_found("no member '" + std::string(ref.substr(0, 100)) + "'"));
  const store::Account& a = **account;
  MemberProfile out{.id = a.id, .name = a.name, .joined_at = a.created_at};
  auto collections = library_.collections_of(a.id);
  if (!collections) return fail(collections.error());
  for (auto& c : *collections) {
    if (c.is_public) out.public_collections.push_back(std::move(c));
  }
  std::ranges::stable_sort(out.public_collections,
                           [](const store::Collection& x, const store::Collection& y) { return x.name < y.name; });
  // Titles looked up once per paper: at most kCommentsShown + kSubmissionsShown reads by key.
  std::map<std::string, std::string> titles;
  auto title_of = [&](const std::string& id) -> Result<std::string> {
    if (auto it = titles.find(id); it != titles.end()) return it->second;
    auto t = paper_title(id);
    if (!t) return fail(t.error());
    titles[id] = *t;
    return *t;
  };
  auto comments = library_.comments_by(a.id, kCommentsShown);
  if (!comments) return fail(comments.error());
  for (auto& c : *comments) {
    auto title = title_of(c.paper_id);
    if (!title) return fail(title.error());
    out.comments.push_back({std::move(c), std::move(*title)});
  }
  if (curation_ != nullptr) {
    auto submissions = curation_->submissions_by(a.id, kSubmissionsShown);
    if (!submissions) return fail(submissions.error());
    std::vector<std::string> ids;
    for (const auto& s : *submissions) ids.push_back(s.paper_id);
    auto flags = curation_->flags_of(ids);
    if (!flags) return fail(flags.error());
    for (auto& s : *submissions) {
      if (auto f = flags->find(s.paper_id); f != flags->end() && f->second.is_hidden) continue;
      auto title = title_of(s.paper_id);
      if (!title) return fail(title.error());
      if (title->empty()) continue;  // a submission whose paper is not stored (yet)
      out.submissions.push_back({std::move(s), std::move(*title)});
    }
  }
  return out;
}

}  // namespace paperboy::app
