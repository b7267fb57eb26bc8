// LibraryService: what an account keeps for itself on the site (collections of saved papers,
// follows for "My feed", comments on papers), with every rule about them: who may see a
// collection (public ones anyone, private ones their owner only, and to everyone else they do not
// exist), who may change what (owners; moderators may also delete comments), names and comment
// bodies, per-account quotas and the comment rate. Web pages, the JSON API and any other front end
// call this and never the LibraryStore. Knows nothing about HTTP. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "community/rate_limiter.h"
#include "core/paper.h"
#include "core/status.h"
#include "store/community_store.h"
#include "store/library_store.h"
#include "store/store.h"

namespace paperboy::app {

// The store's value types, as the callers of this service see them.
using Account = store::Account;
using Collection = store::Collection;
using Follow = store::Follow;
using FollowKind = store::FollowKind;
using Comment = store::Comment;
using StoredPaper = store::StoredPaper;
using store::follow_kind_name;
inline constexpr std::string_view kDefaultCollectionName = store::kDefaultCollectionName;

// Limits of the library features, per account.
struct LibraryOptions {
  size_t comment_max_bytes = 10000;  // markdown source of one comment
  int comments_per_window = 5;       // new comments and edits per account within comment_window_s
  int comment_window_s = 60;
  int max_collections = 100;
  int max_collection_papers = 5000;
  int max_follows = 100;
};

// A collection with its newest papers (at most LibraryService::kPapersShown).
struct CollectionContents {
  Collection collection;
  std::vector<StoredPaper> papers;
  std::int64_t last_added_at = 0;  // when the newest paper was added; 0 when empty
  bool is_read_by_owner = false;   // the viewer owns it: offer the owner's changes
};

// What became of a paper saved to or removed from a collection.
struct CollectionChange {
  Collection collection;
  bool changed = false;  // false: the paper was already there (save) / not there (remove)
};

// The collections a paper can be saved to, and which of them hold it.
struct SavePlaces {
  std::vector<Collection> collections;  // the account's, the default first
  std::vector<std::int64_t> holding;    // ids of those that hold the paper
};

class LibraryService {
 public:
  // Papers (and the feed's papers) in a collection shown, exported and put in its feed.
  static constexpr int kPapersShown = 200;
  static constexpr int kCommentsShown = 500;

  LibraryService(store::Store& papers, store::LibraryStore& library, LibraryOptions options);

  // --- Collections. A collection reference `ref` is "saved" (the account's default collection,
  // made on first use) or a decimal id.

  // The account's collections, the default first, then by name.
  [[nodiscard]] Result<std::vector<Collection>> collections_of(const Account& owner);
  // A new collection. Errors: invalid_argument (name empty after trimming, over 100 bytes, line
  // breaks or tabs), quota_exceeded (max_collections), already_exists (a collection of that name).
  [[nodiscard]] Result<Collection> create_collection(const Account& owner, std::string_view name, bool is_public,
                                                     std::int64_t now);
  // A collection and its papers for `viewer` (nullptr: anonymous): public ones for anyone, private
  // ones for their owner; not_found for everyone else, exactly like an id that does not exist.
  [[nodiscard]] Result<CollectionContents> read_collection(std::int64_t id, const Account* viewer);
  // Only public collections: for readers that carry no identity (feeds). not_found otherwise.
  [[nodiscard]] Result<CollectionContents> read_public_collection(std::int64_t id);
  // The owner's default collection and its papers; a read creates nothing, so an account that
  // never saved a paper gets an empty "Saved" (id 0).
  [[nodiscard]] Result<CollectionContents> read_saved(const Account& owner);
  // Saves the paper (any arXiv id form; the server must have it) to the collection `ref`.
  // Errors: invalid_argument, not_found (paper, or a collection `by` may not see), permission_denied
  // (someone else's public collection), quota_exceeded (max_collection_papers).
  [[nodiscard]] Result<CollectionChange> save_paper(const Account& by, std::string_view ref, std::string_view paper,
                                                    std::int64_t now);
  // Saves the paper to a collection made for it (the errors of create_collection and save_paper);
  // nothing is made when the paper cannot be saved.
  [[nodiscard]] Result<CollectionChange> save_paper_to_new(const Account& by, std::string_view name, bool is_public,
                                                           std::string_view paper, std::int64_t now);
  // Saves the paper to the account's collection called `name`, made (public when `is_public`) when
  // it has none: what a person means by typing a collection's name. The errors of
  // create_collection (an empty name is invalid_argument) and save_paper.
  [[nodiscard]] Result<CollectionChange> save_paper_to_named(const Account& by, std::string_view name, bool is_public,
                                                             std::string_view paper, std::int64_t now);
  // The changes below take the refs and errors of save_paper; "saved" makes the default
  // collection if there is none yet (at `now`).
  [[nodiscard]] Result<CollectionChange> remove_paper(const Account& by, std::string_view ref, std::string_view paper,
                                                      std::int64_t now);
  [[nodiscard]] Result<Collection> set_collection_public(const Account& by, std::string_view ref, bool is_public,
                                                         std::int64_t now);
  // Removes the collection and its entries; returns what it was.
  [[nodiscard]] Result<Collection> delete_collection(const Account& by, std::string_view ref, std::int64_t now);
  // Which of these papers the account has saved (in its default collection). Only looks: the
  // default collection is made on the first save, not on every page view.
  [[nodiscard]] Result<std::unordered_set<std::string>> saved_among(const Account& who,
                                                                    std::span<const std::string> paper_ids);
  // Where the save form on a paper's page may put it.
  [[nodiscard]] Result<SavePlaces> save_places(const Account& owner, std::string_view paper_id);

  // --- Follows: a category ("cs.LG"), an author ("Keyname|Forenames", forenames optional) or a
  // search query; `kind` is "category" | "author" | "search".

  // Idempotent: following again returns the existing follow. Errors: invalid_argument (kind or
  // value), quota_exceeded (max_follows).
  [[nodiscard]] Result<Follow> follow(const Account& by, std::string_view kind, std::string_view value,
                                      std::int64_t now);
  // true when a follow was removed.
  [[nodiscard]] Result<bool> unfollow(const Account& by, std::string_view kind, std::string_view value);
  // Oldest first.
  [[nodiscard]] Result<std::vector<Follow>> follows_of(const Account& owner);
  [[nodiscard]] Result<bool> is_following(const Account& who, FollowKind kind, std::string_view value);

  // --- Comments: markdown, at most comment_max_bytes after trimming; new comments and edits share
  // one rate per account (an edit re-renders the page as a new comment does).

  // Oldest first (at most kCommentsShown). not_found / invalid_argument for the paper id.
  [[nodiscard]] Result<std::vector<Comment>> comments_on(std::string_view paper);
  // `parent_id` (0: a top-level comment) makes it a reply. Replies nest one level: a reply to a
  // reply is stored under that reply's top-level comment. The parent must exist (a deleted one is
  // gone) and be on the same paper. Errors: invalid_argument (paper id, empty or too long body, a
  // parent that does not exist or is on another paper), not_found (paper), rate_limited
  // (retry_after_s() set).
  [[nodiscard]] Result<Comment> add_comment(const Account& by, std::string_view paper, std::string_view body,
                                            std::int64_t now, std::int64_t parent_id = 0);
  // The comment if `by` may edit it (its author): not_found, permission_denied otherwise.
  [[nodiscard]] Result<Comment> editable_comment(const Account& by, std::int64_t id);
  // Returns the edited comment. The errors of editable_comment and add_comment.
  [[nodiscard]] Result<Comment> edit_comment(const Account& by, std::int64_t id, std::string_view body,
                                             std::int64_t now);
  // Its author or a moderator (curator, admin) may delete; returns what was deleted.
  [[nodiscard]] Result<Comment> delete_comment(const Account& by, std::int64_t id);
  // Comment counts for these papers (papers without comments are absent).
  [[nodiscard]] Result<std::unordered_map<std::string, std::int64_t>> comment_counts(
      std::span<const std::string> paper_ids);
  [[nodiscard]] static bool may_edit(const Account& who, const Comment& c);
  [[nodiscard]] static bool may_delete(const Account& who, const Comment& c);

  // Removes every collection, follow and comment of the account (before the account goes).
  [[nodiscard]] Status delete_account_data(std::int64_t account_id);

  [[nodiscard]] const LibraryOptions& options() const { return options_; }

 private:
  Result<Collection> changeable_collection(const Account& by, std::string_view ref, std::int64_t now);
  Result<CollectionContents> contents(Collection c);
  Result<CollectionChange> add_paper(const Collection& c, const core::Paper& paper, std::int64_t now);
  Result<std::string> comment_body(std::string_view body) const;
  Status admit_comment(const Account& by, std::int64_t now);
  Result<Comment> find_comment(std::int64_t id);
  Result<std::int64_t> thread_of(std::int64_t parent_id, const std::string& paper_id);

  store::Store& papers_;
  store::LibraryStore& library_;
  LibraryOptions options_;
  community::RateLimiter comment_limiter_;
};

}  // namespace paperboy::app
