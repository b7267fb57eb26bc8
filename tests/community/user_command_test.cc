// `paperboy user create-admin` run as a real process against a real database file.
#include <gtest/gtest.h>

#include <fstream>

#include "community/secrets.h"
#include "store/community_store.h"
#include "store/database.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace paperboy::community {
namespace {

TEST(UserCommand, CreateAdminReadsThePasswordFromAFileAndStoresOnlyItsHash) {
  paperboy::testing::TempDir dir;
  std::string db = dir.file("p.db");
  std::ofstream(dir.file("pw")) << "an admin password 42\n";
  std::vector<std::string> env = {"PAPERBOY_DATABASE=sqlite:" + db, "PAPERBOY_COMMUNITY_PASSWORD_HASH=minimum"};
  paperboy::testing::Process p({paperboy::testing::paperboy_binary(), "user", "create-admin", "Root@Example.org",
                                "--password-file", dir.file("pw")},
                               env);
  std::string out = p.read_all();
  ASSERT_EQ(p.wait(), 0) << out;
  EXPECT_NE(out.find("root@example.org"), std::string::npos);
  store::StoreOptions o;
  o.url = db;
  auto community = store::open_database(o);
  ASSERT_TRUE(community);
  auto found = (*community)->community().find_account_by_email("root@example.org");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->account.role, store::Role::kAdmin);
  EXPECT_EQ((*found)->password_hash.find("an admin password"), std::string::npos);
  EXPECT_TRUE(verify_password("an admin password 42", (*found)->password_hash));

  paperboy::testing::Process again({paperboy::testing::paperboy_binary(), "user", "create-admin", "root@example.org",
                                    "--password-file", dir.file("pw")},
                                   env);
  (void)again.read_all();
  EXPECT_NE(again.wait(), 0);  // the email is taken
}

}  // namespace
}  // namespace paperboy::community
