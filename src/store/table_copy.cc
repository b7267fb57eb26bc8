#include "store/table_copy.h"

#include <xxhash.h>

#include <array>
#include <unordered_map>

namespace paperboy::store {
namespace {

constexpr std::array<TableSpec, 13> kTables = {{
    {"accounts", "id, email, name, password_hash, role, created_at", "id"},
    {"sessions", "id_hash, account_id, expires_at", ""},
    {"api_tokens", "token_hash, account_id, label, created_at", ""},
    {"votes", "account_id, paper_id, voted_at", ""},
    {"paper_votes", "paper_id, upvotes, published", ""},
    {"mail_subscriptions",
     "id, email, frequency, kind, categories, account_id, status, bounces, created_at, confirmed_at, confirm_sent_at",
     "id"},
    {"mail_outbox",
     "id, subscription_id, issue_key, state, attempts, next_attempt_at, claimed_until, last_error, message_id, "
     "created_at, sent_at",
     "id"},
    {"submissions", "paper_id, account_id, listing_day, submitted_at", ""},
    {"paper_curation", "paper_id, is_featured, is_hidden, listing_day, changed_by, changed_at", "",
     "paper_id, is_featured::int, is_hidden::int, listing_day, changed_by, changed_at"},
    {"collections", "id, account_id, name, is_public, is_default, created_at", "id"},
    {"collection_papers", "collection_id, paper_id, added_at", ""},
    {"follows", "id, account_id, kind, value, created_at", "id"},
    {"comments", "id, paper_id, account_id, body, created_at, edited_at, parent_id", "id"},
}};

// Length-prefixed fields with a NULL marker, so ("ab","c") and ("a","bc") and NULL vs "" differ.
std::uint64_t row_hash(const TableRow& row) {
  std::string buf;
  for (const auto& field : row) {
    if (!field) {
      buf += 'N';
      continue;
    }
    buf += 'V' + std::to_string(field->size()) + ':' + *field;
  }
  return XXH3_64bits(buf.data(), buf.size());
}

}  // namespace

std::span<const TableSpec> copied_tables() {
  return kTables;
}

Result<std::vector<TableCopyReport>> copy_tables(TableAccess& source, TableAccess& target,
                                                 bool allow_non_empty_target) {
  if (!allow_non_empty_target) {
    for (const auto& table : kTables) {
      auto rows = target.read_rows(table);
      if (!rows) return fail(rows.error().with_context("reading the target"));
      if (!rows->empty()) {
        return fail(Status::already_exists("the target's table " + std::string(table.name) + " already holds " +
                                           std::to_string(rows->size()) +
                                           " rows; copy into an empty database, or pass --force to keep the "
                                           "target's rows where keys collide"));
      }
    }
  }
  std::vector<TableCopyReport> reports;
  for (const auto& table : kTables) {
    TableCopyReport report{.table = std::string(table.name)};
    auto rows = source.read_rows(table);
    if (!rows) return fail(rows.error().with_context("reading the source"));
    if (Status s = target.insert_rows(table, *rows, allow_non_empty_target); !s.is_ok()) {
      return fail(s.with_context("writing the target's " + std::string(table.name)));
    }
    // Verify against what the target returns when read back: a multiset of row hashes.
    auto copied = target.read_rows(table);
    if (!copied) return fail(copied.error().with_context("reading the target"));
    std::unordered_map<std::uint64_t, std::int64_t> have;
    for (const auto& row : *copied) {
      std::uint64_t h = row_hash(row);
      ++report.target_rows;
      report.target_checksum += h;
      ++have[h];
    }
    for (const auto& row : *rows) {
      std::uint64_t h = row_hash(row);
      ++report.source_rows;
      report.source_checksum += h;
      auto it = have.find(h);
      if (it == have.end() || it->second == 0) {
        ++report.missing_or_different;
      } else {
        --it->second;
      }
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace paperboy::store
