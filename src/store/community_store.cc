#include "store/community_store.h"

namespace paperboy::store {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kUser: return "user";
    case Role::kCurator: return "curator";
    case Role::kAdmin: return "admin";
  }
  return "user";
}

bool is_moderator(Role role) {
  return role == Role::kCurator || role == Role::kAdmin;
}

Result<Role> parse_role(std::string_view name) {
  if (name == "user") return Role::kUser;
  if (name == "curator") return Role::kCurator;
  if (name == "admin") return Role::kAdmin;
  return fail(Status::invalid_argument("role: expected user, curator or admin, got '" + std::string(name) + "'"));
}
}  // namespace paperboy::store
