// PostgresLibraryStore: the LibraryStore on PostgreSQL (tables collections, collection_papers,
// follows, comments under migration component "library"), usually in the paper store's database.
// Pooled connections; single statements run in autocommit, multi-statement changes in one
// READ COMMITTED transaction (unique keys settle races: ON CONFLICT DO NOTHING, then read back).
// Thread-safe, and safe across processes sharing the database.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>

#include "store/library_store.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"

namespace paperboy::store::postgres {

inline constexpr std::string_view kLibraryComponent = "library";
std::span<const Migration> library_migrations();

class PostgresLibraryStore final : public LibraryStore {
 public:
  // Connects and migrates the "library" component (refusing a newer one).
  static Result<std::unique_ptr<PostgresLibraryStore>> open(const std::string& url, int pool_size = 4);

  Result<Collection> create_collection(std::int64_t account_id, std::string_view name, bool is_public,
                                       std::int64_t now) override;
  Result<Collection> default_collection(std::int64_t account_id, std::int64_t now) override;
  Result<std::optional<Collection>> get_collection(std::int64_t id) override;
  Result<std::vector<Collection>> collections_of(std::int64_t account_id) override;
  Status set_collection_public(std::int64_t id, bool is_public) override;
  Status delete_collection(std::int64_t id) override;
  Result<bool> add_to_collection(std::int64_t collection_id, std::string_view paper_id, std::int64_t now) override;
  Result<bool> remove_from_collection(std::int64_t collection_id, std::string_view paper_id) override;
  Result<std::vector<CollectionEntry>> collection_entries(std::int64_t collection_id, int limit, int offset) override;
  Result<std::unordered_set<std::string>> papers_in_collection(std::int64_t collection_id,
                                                               std::span<const std::string> paper_ids) override;
  Result<std::vector<std::int64_t>> collections_with_paper(std::int64_t account_id, std::string_view paper_id) override;
  Result<Follow> follow(std::int64_t account_id, FollowKind kind, std::string_view value, std::int64_t now) override;
  Result<bool> unfollow(std::int64_t account_id, FollowKind kind, std::string_view value) override;
  Result<std::vector<Follow>> follows_of(std::int64_t account_id) override;
  Result<Comment> add_comment(std::string_view paper_id, std::int64_t account_id, std::string_view body,
                              std::int64_t now, std::int64_t parent_id) override;
  Result<std::optional<Comment>> get_comment(std::int64_t id) override;
  Status edit_comment(std::int64_t id, std::string_view body, std::int64_t now) override;
  Status delete_comment(std::int64_t id) override;
  Result<std::vector<Comment>> comments_on(std::string_view paper_id, int limit) override;
  Result<std::vector<Comment>> comments_by(std::int64_t account_id, int limit) override;
  Result<std::unordered_map<std::string, std::int64_t>> comment_counts(std::span<const std::string> paper_ids) override;
  Status delete_account_data(std::int64_t account_id) override;
  Result<std::int64_t> generation() override { return generation_.load(); }

 private:
  PostgresLibraryStore(const std::string& url, int pool_size) : pool_(url, pool_size) {}
  // One statement on a pooled connection (autocommit).
  Result<PgResult> query(std::string_view sql, const Params& params);
  // One changing statement; the rows it changed. Bumps the generation.
  Result<std::int64_t> change(std::string_view sql, const Params& params);

  PgPool pool_;
  std::atomic<std::int64_t> generation_{0};
};

}  // namespace paperboy::store::postgres
