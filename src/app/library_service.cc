#include "app/library_service.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "app/paper_lookup.h"

namespace paperboy::app {
namespace {

constexpr size_t kMaxNameBytes = 100;

std::string trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  return std::string(text);
}

Result<std::string> collection_name(std::string_view raw) {
  std::string name = trimmed(raw);
  if (name.empty()) return fail(Status::invalid_argument("name: a collection needs a name"));
  if (name.size() > kMaxNameBytes) return fail(Status::invalid_argument("name: at most 100 bytes"));
  if (name.find_first_of("\r\n\t") != std::string::npos) {
    return fail(Status::invalid_argument("name: no line breaks or tabs"));
  }
  return name;
}

// The value of a follow in its stored form, validated.
Result<std::string> follow_value(FollowKind kind, std::string_view raw) {
  std::string value(raw);
  if (value.empty()) return fail(Status::invalid_argument("value: what to follow is missing"));
  if (kind == FollowKind::kCategory) {
    if (value.size() > 32 ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
            std::string::npos) {
      return fail(Status::invalid_argument("value: '" + value + "' is not an arXiv category such as cs.LG"));
    }
    return value;
  }
  size_t limit = kind == FollowKind::kAuthor ? 401 : 500;
  if (value.size() > limit) return fail(Status::invalid_argument("value: at most " + std::to_string(limit) + " bytes"));
  if (value.find_first_of("\r\n") != std::string::npos) return fail(Status::invalid_argument("value: one line only"));
  if (kind == FollowKind::kAuthor && (value.front() == '|' || value.find('|') != value.rfind('|'))) {
    return fail(Status::invalid_argument("value: an author is 'Keyname|Forenames'"));
  }
  return value;
}

}  // namespace

LibraryService::LibraryService(store::Store& papers, store::LibraryStore& library, LibraryOptions options)
    : papers_(papers),
      library_(library),
      options_(options),
      comment_limiter_(options.comments_per_window, options.comment_window_s) {}

// --- Collections

Result<std::vector<Collection>> LibraryService::collections_of(const Account& owner) {
  return library_.collections_of(owner.id);
}

Result<Collection> LibraryService::create_collection(const Account& owner, std::string_view raw_name, bool is_public,
                                                     std::int64_t now) {
  auto name = collection_name(raw_name);
  if (!name) return fail(name.error());
  auto mine = library_.collections_of(owner.id);
  if (!mine) return fail(mine.error());
  if (static_cast<int>(mine->size()) >= options_.max_collections) {
    return fail(
        Status::quota_exceeded("at most " + std::to_string(options_.max_collections) + " collections per account"));
  }
  return library_.create_collection(owner.id, *name, is_public, now);
}

Result<CollectionContents> LibraryService::contents(Collection c) {
  CollectionContents out;
  if (c.id != 0) {
    auto entries = library_.collection_entries(c.id, kPapersShown, 0);
    if (!entries) return fail(entries.error());
    if (!entries->empty()) out.last_added_at = entries->front().added_at;
    for (const auto& e : *entries) {
      auto sp = papers_.get_paper(e.paper_id);
      if (!sp) return fail(sp.error());
      if (*sp) out.papers.push_back(std::move(**sp));
    }
  }
  out.collection = std::move(c);
  return out;
}

Result<CollectionContents> LibraryService::read_collection(std::int64_t id, const Account* viewer) {
  auto c = library_.get_collection(id);
  if (!c) return fail(c.error());
  // A private collection is not found for anyone but its owner, so its existence does not leak.
  bool is_read_by_owner = *c && viewer != nullptr && viewer->id == (*c)->account_id;
  if (!*c || !((*c)->is_public || is_read_by_owner)) {
    return fail(Status::not_found("no collection " + std::to_string(id)));
  }
  auto out = contents(std::move(**c));
  if (out) out->is_read_by_owner = is_read_by_owner;
  return out;
}

Result<CollectionContents> LibraryService::read_public_collection(std::int64_t id) {
  auto c = read_collection(id, nullptr);
  if (!c && c.error().code() == StatusCode::kNotFound) {
    return fail(Status::not_found("no public collection " + std::to_string(id)));
  }
  return c;
}

Result<CollectionContents> LibraryService::read_saved(const Account& owner) {
  auto mine = library_.collections_of(owner.id);
  if (!mine) return fail(mine.error());
  auto it = std::ranges::find_if(*mine, [](const Collection& c) { return c.is_default; });
  auto out = it != mine->end()
                 ? contents(*it)
                 : contents(Collection{
                       .account_id = owner.id, .name = std::string(kDefaultCollectionName), .is_default = true});
  if (out) out->is_read_by_owner = true;
  return out;
}

// A collection `by` may change: "saved" (its default), or one of its own by id. Someone else's
// public collection is forbidden (it is visible, not theirs); a private one is not found.
Result<Collection> LibraryService::changeable_collection(const Account& by, std::string_view ref, std::int64_t now) {
  if (ref == "saved") return library_.default_collection(by.id, now);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec != std::errc() || ptr != ref.data() + ref.size()) {
    return fail(Status::invalid_argument("'" + std::string(ref) + "' is not a collection id"));
  }
  auto c = library_.get_collection(id);
  if (!c) return fail(c.error());
  if (!*c || (!(*c)->is_public && (*c)->account_id != by.id)) {
    return fail(Status::not_found("no collection " + std::string(ref)));
  }
  if ((*c)->account_id != by.id) return fail(Status::permission_denied("this collection is not yours"));
  return std::move(**c);
}

Result<CollectionChange> LibraryService::add_paper(const Collection& c, const core::Paper& paper, std::int64_t now) {
  if (c.paper_count >= options_.max_collection_papers) {
    return fail(Status::quota_exceeded("a collection holds at most " + std::to_string(options_.max_collection_papers) +
                                       " papers"));
  }
  auto added = library_.add_to_collection(c.id, paper.id, now);
  if (!added) return fail(added.error());
  CollectionChange out{.collection = c, .changed = *added};
  if (*added) ++out.collection.paper_count;
  return out;
}

Result<CollectionChange> LibraryService::save_paper(const Account& by, std::string_view ref, std::string_view raw_paper,
                                                    std::int64_t now) {
  auto c = changeable_collection(by, ref, now);
  if (!c) return fail(c.error());
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  return add_paper(*c, *paper, now);
}

Result<CollectionChange> LibraryService::save_paper_to_new(const Account& by, std::string_view name, bool is_public,
                                                           std::string_view raw_paper, std::int64_t now) {
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  auto c = create_collection(by, name, is_public, now);
  if (!c) return fail(c.error());
  return add_paper(*c, *paper, now);
}

Result<CollectionChange> LibraryService::save_paper_to_named(const Account& by, std::string_view raw_name,
                                                             bool is_public, std::string_view paper, std::int64_t now) {
  auto name = collection_name(raw_name);
  if (!name) return fail(name.error());
  auto mine = library_.collections_of(by.id);
  if (!mine) return fail(mine.error());
  for (const auto& c : *mine) {
    if (c.name == *name) return save_paper(by, std::to_string(c.id), paper, now);
  }
  return save_paper_to_new(by, *name, is_public, paper, now);
}

Result<CollectionChange> LibraryService::remove_paper(const Account& by, std::string_view ref,
                                                      std::string_view raw_paper, std::int64_t now) {
  auto c = changeable_collection(by, ref, now);
  if (!c) return fail(c.error());
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  auto removed = library_.remove_from_collection(c->id, paper->id);
  if (!removed) return fail(removed.error());
  CollectionChange out{.collection = std::move(*c), .changed = *removed};
  if (*removed) --out.collection.paper_count;
  return out;
}

Result<Collection> LibraryService::set_collection_public(const Account& by, std::string_view ref, bool is_public,
                                                         std::int64_t now) {
  auto c = changeable_collection(by, ref, now);
  if (!c) return fail(c.error());
  if (Status s = library_.set_collection_public(c->id, is_public); !s.is_ok()) return fail(s);
  c->is_public = is_public;
  return c;
}

Result<Collection> LibraryService::delete_collection(const Account& by, std::string_view ref, std::int64_t now) {
  auto c = changeable_collection(by, ref, now);
  if (!c) return fail(c.error());
  if (Status s = library_.delete_collection(c->id); !s.is_ok()) return fail(s);
  return c;
}

Result<std::unordered_set<std::string>> LibraryService::saved_among(const Account& who,
                                                                    std::span<const std::string> paper_ids) {
  auto mine = library_.collections_of(who.id);
  if (!mine) return fail(mine.error());
  auto it = std::ranges::find_if(*mine, [](const Collection& c) { return c.is_default; });
  if (it == mine->end()) return std::unordered_set<std::string>();
  return library_.papers_in_collection(it->id, paper_ids);
}

Result<SavePlaces> LibraryService::save_places(const Account& owner, std::string_view paper_id) {
  auto mine = library_.collections_of(owner.id);
  if (!mine) return fail(mine.error());
  auto holding = library_.collections_with_paper(owner.id, paper_id);
  if (!holding) return fail(holding.error());
  return SavePlaces{.collections = std::move(*mine), .holding = std::move(*holding)};
}

// --- Follows

Result<Follow> LibraryService::follow(const Account& by, std::string_view kind_name, std::string_view raw_value,
                                      std::int64_t now) {
  auto kind = store::parse_follow_kind(kind_name);
  if (!kind) return fail(kind.error());
  auto value = follow_value(*kind, raw_value);
  if (!value) return fail(value.error());
  auto existing = library_.follows_of(by.id);
  if (!existing) return fail(existing.error());
  if (static_cast<int>(existing->size()) >= options_.max_follows) {
    return fail(Status::quota_exceeded("at most " + std::to_string(options_.max_follows) + " follows per account"));
  }
  return library_.follow(by.id, *kind, *value, now);
}

Result<bool> LibraryService::unfollow(const Account& by, std::string_view kind_name, std::string_view value) {
  auto kind = store::parse_follow_kind(kind_name);
  if (!kind) return fail(kind.error());
  return library_.unfollow(by.id, *kind, value);
}

Result<std::vector<Follow>> LibraryService::follows_of(const Account& owner) {
  return library_.follows_of(owner.id);
}

Result<bool> LibraryService::is_following(const Account& who, FollowKind kind, std::string_view value) {
  auto follows = library_.follows_of(who.id);
  if (!follows) return fail(follows.error());
  return std::ranges::any_of(*follows, [&](const Follow& f) { return f.kind == kind && f.value == value; });
}

// --- Comments

Result<std::string> LibraryService::comment_body(std::string_view raw) const {
  std::string body = trimmed(raw);
  if (body.empty()) return fail(Status::invalid_argument("body: the comment is empty"));
  if (body.size() > options_.comment_max_bytes) {
    return fail(Status::invalid_argument("body: a comment is at most " + std::to_string(options_.comment_max_bytes) +
                                         " bytes (this one is " + std::to_string(body.size()) + ")"));
  }
  return body;
}

Status LibraryService::admit_comment(const Account& by, std::int64_t now) {
  if (comment_limiter_.allow("comment:" + std::to_string(by.id), now)) return Status::ok();
  return Status::rate_limited("You can post or edit " + std::to_string(options_.comments_per_window) +
                                  " comments per " + std::to_string(options_.comment_window_s) +
                                  " seconds; wait a little and try again.",
                              options_.comment_window_s);
}

Result<Comment> LibraryService::find_comment(std::int64_t id) {
  auto c = library_.get_comment(id);
  if (!c) return fail(c.error());
  if (!*c) return fail(Status::not_found("no comment " + std::to_string(id)));
  return std::move(**c);
}

Result<std::vector<Comment>> LibraryService::comments_on(std::string_view raw_paper) {
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  return library_.comments_on(paper->id, kCommentsShown);
}

// The top-level comment a reply to `parent_id` belongs under (0 for a top-level comment).
Result<std::int64_t> LibraryService::thread_of(std::int64_t parent_id, const std::string& paper_id) {
  if (parent_id == 0) return 0;
  const std::string missing =
      "parentId: comment " + std::to_string(parent_id) + " does not exist (it may have been deleted)";
  if (parent_id < 0) return fail(Status::invalid_argument(missing));
  auto parent = library_.get_comment(parent_id);
  if (!parent) return fail(parent.error());
  if (!*parent) return fail(Status::invalid_argument(missing));
  if ((*parent)->paper_id != paper_id) {
    return fail(Status::invalid_argument("parentId: comment " + std::to_string(parent_id) + " is on another paper"));
  }
  // One level: a reply to a reply joins the thread of the comment that one answers.
  return (*parent)->parent_id != 0 ? (*parent)->parent_id : (*parent)->id;
}

Result<Comment> LibraryService::add_comment(const Account& by, std::string_view raw_paper, std::string_view raw_body,
                                            std::int64_t now, std::int64_t parent_id) {
  auto paper = find_paper(papers_, raw_paper);
  if (!paper) return fail(paper.error());
  auto body = comment_body(raw_body);
  if (!body) return fail(body.error());
  auto thread = thread_of(parent_id, paper->id);
  if (!thread) return fail(thread.error());
  if (Status s = admit_comment(by, now); !s.is_ok()) return fail(s);
  return library_.add_comment(paper->id, by.id, *body, now, *thread);
}

Result<std::unordered_map<std::string, std::int64_t>> LibraryService::comment_counts(
    std::span<const std::string> paper_ids) {
  return library_.comment_counts(paper_ids);
}

bool LibraryService::may_edit(const Account& who, const Comment& c) {
  return c.account_id == who.id;
}

bool LibraryService::may_delete(const Account& who, const Comment& c) {
  return c.account_id == who.id || store::is_moderator(who.role);
}

Result<Comment> LibraryService::editable_comment(const Account& by, std::int64_t id) {
  auto c = find_comment(id);
  if (!c) return fail(c.error());
  if (!may_edit(by, *c)) return fail(Status::permission_denied("this comment is not yours"));
  return c;
}

Result<Comment> LibraryService::edit_comment(const Account& by, std::int64_t id, std::string_view raw_body,
                                             std::int64_t now) {
  auto c = editable_comment(by, id);
  if (!c) return fail(c.error());
  auto body = comment_body(raw_body);
  if (!body) return fail(body.error());
  if (Status s = admit_comment(by, now); !s.is_ok()) return fail(s);
  if (Status s = library_.edit_comment(c->id, *body, now); !s.is_ok()) return fail(s);
  c->body = std::move(*body);
  c->edited_at = now;
  return c;
}

Result<Comment> LibraryService::delete_comment(const Account& by, std::int64_t id) {
  auto c = find_comment(id);
  if (!c) return fail(c.error());
  if (!may_delete(by, *c)) return fail(Status::permission_denied("this comment is not yours"));
  if (Status s = library_.delete_comment(c->id); !s.is_ok()) return fail(s);
  return c;
}

Status LibraryService::delete_account_data(std::int64_t account_id) {
  return library_.delete_account_data(account_id);
}

}  // namespace paperboy::app
