// SqliteLibraryStore: the LibraryStore in the paper store's SQLite file (tables collections,
// collection_papers, follows, comments; migration 6). Its own writer connection behind a mutex;
// each write is one IMMEDIATE transaction, which also serialises it against the other writers of
// the file (busy timeout). Readers are pooled. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/library_store.h"
#include "store/sqlite/sqlite_db.h"

namespace paperboy::store::sqlite {

class SqliteLibraryStore final : public LibraryStore {
 public:
  static Result<std::unique_ptr<SqliteLibraryStore>> open(const std::string& path, int cache_mib);

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
  SqliteLibraryStore(const std::string& path, int cache_mib, std::unique_ptr<Connection> writer)
      : writer_(std::move(writer)), readers_(path, cache_mib) {}

  // Runs one bound statement in a write transaction; the number of rows it changed.
  template <typename Bind>
  Result<int> write_one(std::string_view sql, Bind&& bind);
  Result<std::optional<Collection>> find_collection(Connection& conn, std::string_view where, std::int64_t a,
                                                    std::string_view b);

  std::mutex write_mu_;  // guards writer_
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
  std::atomic<std::int64_t> generation_{0};
};

}  // namespace paperboy::store::sqlite
