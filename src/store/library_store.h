// LibraryStore: what an account keeps for itself on the site: collections of saved papers (a
// default "Saved" one plus named ones, private or public), follows (categories, authors, saved
// searches) for "My feed", and comments on papers. Its own interface, apart from CommunityStore,
// so each backend keeps these tables in its own migration stream. Implementations: SQLite
// (store/sqlite/sqlite_library_store.h) and PostgreSQL (store/postgres/postgres_library_store.h),
// in the paper store's database. Backend-neutral: no SQL types. Account ids are CommunityStore's;
// there is no foreign key to accounts (the tables may live apart), so account deletion calls
// delete_account_data() first. Ownership, visibility, names and quotas are app::LibraryService's
// (src/app/library_service.h), not the store's: it answers for any id. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace paperboy::store {

inline constexpr std::string_view kDefaultCollectionName = "Saved";

struct Collection {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string name;
  bool is_public = false;
  bool is_default = false;  // the account's "Saved" collection (one per account)
  std::int64_t created_at = 0;
  std::int64_t paper_count = 0;
};

struct CollectionEntry {
  std::string paper_id;
  std::int64_t added_at = 0;
};

enum class FollowKind { kCategory = 0, kAuthor = 1, kSearch = 2 };
[[nodiscard]] std::string_view follow_kind_name(FollowKind kind);  // "category" | "author" | "search"
[[nodiscard]] Result<FollowKind> parse_follow_kind(std::string_view name);

// What an account follows. `value` is the category ("cs.LG"), the author as "Keyname|Forenames",
// or the search query; (account, kind, value) is unique.
struct Follow {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  FollowKind kind = FollowKind::kCategory;
  std::string value;
  std::int64_t created_at = 0;
};

// A comment's body is the markdown source; rendering (and making it safe) is the web layer's job.
struct Comment {
  std::int64_t id = 0;
  std::string paper_id;
  std::int64_t account_id = 0;
  std::string body;
  std::int64_t created_at = 0;
  std::int64_t edited_at = 0;  // 0: never edited
  // The top-level comment this one replies to; 0 for a top-level comment. Replies nest one level:
  // a reply to a reply is stored under the top-level comment (app::LibraryService decides).
  std::int64_t parent_id = 0;
};

class LibraryStore {
 public:
  virtual ~LibraryStore() = default;

  // Collections. create_collection fails with already_exists when the account has one of that
  // name. default_collection creates the "Saved" collection on first use.
  virtual Result<Collection> create_collection(std::int64_t account_id, std::string_view name, bool is_public,
                                               std::int64_t now) = 0;
  virtual Result<Collection> default_collection(std::int64_t account_id, std::int64_t now) = 0;
  virtual Result<std::optional<Collection>> get_collection(std::int64_t id) = 0;
  // The account's collections, the default first, then by name; each with its paper count.
  virtual Result<std::vector<Collection>> collections_of(std::int64_t account_id) = 0;
  virtual Status set_collection_public(std::int64_t id, bool is_public) = 0;
  // Removes the collection and its entries (not_found when there is none).
  virtual Status delete_collection(std::int64_t id) = 0;
  // true when the paper was added (false: it was there already) / removed.
  virtual Result<bool> add_to_collection(std::int64_t collection_id, std::string_view paper_id, std::int64_t now) = 0;
  virtual Result<bool> remove_from_collection(std::int64_t collection_id, std::string_view paper_id) = 0;
  // Entries, most recently added first.
  virtual Result<std::vector<CollectionEntry>> collection_entries(std::int64_t collection_id, int limit,
                                                                  int offset) = 0;
  // Which of these papers are in the collection.
  virtual Result<std::unordered_set<std::string>> papers_in_collection(std::int64_t collection_id,
                                                                       std::span<const std::string> paper_ids) = 0;
  // Ids of the account's collections that hold the paper.
  virtual Result<std::vector<std::int64_t>> collections_with_paper(std::int64_t account_id,
                                                                   std::string_view paper_id) = 0;

  // Follows. follow() is idempotent: following again returns the existing follow.
  virtual Result<Follow> follow(std::int64_t account_id, FollowKind kind, std::string_view value, std::int64_t now) = 0;
  // true when a follow was removed.
  virtual Result<bool> unfollow(std::int64_t account_id, FollowKind kind, std::string_view value) = 0;
  // Oldest first.
  virtual Result<std::vector<Follow>> follows_of(std::int64_t account_id) = 0;

  // Comments, oldest first per paper. `parent_id` 0 adds a top-level comment; the store keeps any
  // parent it is given (there is no foreign key: a deleted parent leaves its replies in place).
  virtual Result<Comment> add_comment(std::string_view paper_id, std::int64_t account_id, std::string_view body,
                                      std::int64_t now, std::int64_t parent_id) = 0;
  virtual Result<std::optional<Comment>> get_comment(std::int64_t id) = 0;
  virtual Status edit_comment(std::int64_t id, std::string_view body, std::int64_t now) = 0;
  virtual Status delete_comment(std::int64_t id) = 0;
  virtual Result<std::vector<Comment>> comments_on(std::string_view paper_id, int limit) = 0;
  // The account's comments on any paper, newest first, at most `limit`: its profile page.
  virtual Result<std::vector<Comment>> comments_by(std::int64_t account_id, int limit) = 0;
  // Comment counts for these papers (papers without comments are absent).
  virtual Result<std::unordered_map<std::string, std::int64_t>> comment_counts(
      std::span<const std::string> paper_ids) = 0;

  // Removes every collection, follow and comment of the account, in one transaction.
  virtual Status delete_account_data(std::int64_t account_id) = 0;
  // A number that grows with every change here (process-local): cache validation for shared pages
  // that show comments or public collections.
  virtual Result<std::int64_t> generation() = 0;
};

}  // namespace paperboy::store
