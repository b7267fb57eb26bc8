// `paperboy user create-admin EMAIL` creates the first administrator (or makes an existing
// account one); `paperboy user set-role EMAIL ROLE` makes curators. The password is read from
// --password-file or the first line of standard input, never from the command line (which other
// users of the machine can see in the process list).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "community/accounts.h"
#include "community/options_from.h"
#include "store/community_store.h"

namespace paperboy::cli {
namespace {

Result<std::string> read_password(const std::string& file) {
  std::string line;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return fail(Status::io_error("cannot read " + file));
    std::getline(in, line);
  } else {
    std::getline(std::cin, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return fail(Status::invalid_argument("no password given (first line of stdin or --password-file)"));
  return line;
}

}  // namespace

void add_user_command(CLI::App& root, Invocation& inv) {
  auto* cmd = root.add_subcommand("user", "Manage accounts");
  cmd->require_subcommand(1);

  auto* admin = cmd->add_subcommand("create-admin", "Create an administrator (password from stdin or --password-file)");
  static std::string email, name, password_file, role_name;
  admin->add_option("email", email, "the administrator's email")->required();
  admin->add_option("--name", name, "display name (default: the email's local part)");
  admin->add_option("--password-file", password_file, "read the password from this file's first line");
  admin->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& community = (*db)->community();
    auto password = read_password(password_file);
    if (!password) die(password.error());
    community::AccountService accounts(community, community::account_options_from(*cfg));
    auto account = accounts.sign_up(email, *password, name, store::Role::kAdmin);
    if (!account) die(account.error());
    std::printf("created admin account %lld <%s>\n", static_cast<long long>(account->id), account->email.c_str());
  });

  auto* role = cmd->add_subcommand("set-role", "Set an account's role: user, curator or admin");
  role->add_option("email", email, "the account's email")->required();
  role->add_option("role", role_name, "user, curator or admin")->required();
  role->callback([&inv] {
    auto cfg = load(inv);
    if (!cfg) die(cfg.error());
    auto parsed = store::parse_role(role_name);
    if (!parsed) die(parsed.error());
    auto db = open_database(*cfg);
    if (!db) die(db.error());
    auto& community = (*db)->community();
    auto normal = community::normalise_email(email);
    if (!normal) die(normal.error());
    auto found = community.find_account_by_email(*normal);
    if (!found) die(found.error());
    if (!*found) die(Status::not_found("no account with email " + *normal));
    if (Status s = community.set_role((*found)->account.id, *parsed); !s.is_ok()) die(s);
    std::printf("%s is now %s\n", normal->c_str(), role_name.c_str());
  });
}

}  // namespace paperboy::cli
