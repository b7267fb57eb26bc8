// Thumbnails through the real WebServer on 127.0.0.1 with a real SQLite database: GET
// /thumbs/HASH.webp serves the stored image for a year (immutable), answers 304 to its ETag and
// 404 to every name that is not a stored hash; listing cards show the image (with its size, lazy)
// only for papers that have one, also when it was made after the page was cached; the API gives
// its absolute URL or null.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/time.h"
#include "store/database.h"
#include "store/thumbnail_files.h"
#include "support/temp_dir.h"
#include "support/web_server.h"
#include "web/server.h"

namespace paperboy::web {
namespace {

bool has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

class ThumbnailServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_database({.url = (dir_.path() / "test.db").string(), .cache_mib = 8});
    ASSERT_TRUE(opened) << opened.error().to_string();
    database_ = std::move(*opened);
    store::WriteBatch batch;
    batch.papers = {testing::listed_paper("2401.00010", "2024-01-05", "Alpha graph networks"),
                    testing::listed_paper("2401.00020", "2024-01-05", "Beta curves")};
    ASSERT_TRUE(database_->papers().apply(batch));
    // Any bytes do for the server: it serves the file by its name.
    image_ = std::string("RIFF\x24\x00\x00\x00WEBPVP8 ", 16) + std::string(200, '\x5a');
    auto hash = files().put(image_);
    ASSERT_TRUE(hash) << hash.error().to_string();
    hash_ = *hash;
    ServerOptions o;
    o.threads = 2;
    o.access_log = false;
    o.thumbnails = &database_->thumbnails();
    o.thumbnail_dir = (dir_.path() / "thumbs").string();
    server_ = std::make_unique<testing::RunningServer>(database_->papers(), std::move(o));
    ASSERT_TRUE(server_->ok()) << server_->error();
  }

  store::ThumbnailFiles files() const { return store::ThumbnailFiles(dir_.path() / "thumbs"); }

  void record_thumbnail(const std::string& id) {
    ASSERT_TRUE(database_->thumbnails()
                    .record({.paper_id = id,
                             .state = store::ThumbnailState::kOk,
                             .hash = hash_,
                             .width = 320,
                             .height = 414,
                             .attempts = 1,
                             .updated_at = core::unix_now()})
                    .is_ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<testing::RunningServer> server_;
  std::string image_, hash_;
};

TEST_F(ThumbnailServerTest, ServesAStoredImageImmutably) {
  auto res = server_->client().Get("/thumbs/" + hash_ + ".webp");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, image_);
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/webp");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  std::string etag = res->get_header_value("ETag");
  EXPECT_EQ(etag, "\"" + hash_ + "\"");
  auto again = server_->client().Get("/thumbs/" + hash_ + ".webp", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(ThumbnailServerTest, AnyOtherNameIsA404) {
  std::string upper = hash_;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::vector<std::string> paths = {"/thumbs/" + hash_ + ".png",
                                          "/thumbs/" + hash_,
                                          "/thumbs/" + upper + ".webp",
                                          "/thumbs/" + hash_ + "0.webp",
                                          "/thumbs/" + hash_.substr(1) + ".webp",
                                          "/thumbs/00000000000000000000000000000000.webp",
                                          std::string("/thumbs/../test.db"),
                                          std::string("/thumbs/%2e%2e/test.db"),
                                          "/thumbs/" + hash_.substr(0, 2) + "/" + hash_ + ".webp",
                                          std::string("/thumbs/"),
                                          std::string("/thumbs/..%2ftest.db")};
  for (const std::string& path : paths) {
    auto res = server_->client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_NE(res->body, image_) << path;
    EXPECT_FALSE(has(res->body, "SQLite format")) << path;
  }
}

TEST_F(ThumbnailServerTest, CardsShowTheImageOnceItExistsEvenOnACachedPage) {
  auto before = server_->client().Get("/papers/date/2024-01-05");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200);
  EXPECT_FALSE(has(before->body, "/thumbs/")) << "no thumbnail yet: no image, never a broken one";
  record_thumbnail("2401.00020");
  // The page was cached before the thumbnail existed; the data generation (re-read every second)
  // moves with the new thumbnail, so the next render shows it.
  std::string body;
  for (int i = 0; i < 300; ++i) {
    auto res = server_->client().Get("/papers/date/2024-01-05");
    ASSERT_TRUE(res);
    body = res->body;
    if (has(body, "/thumbs/")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string img = "<img src=\"/thumbs/" + hash_ +
                    ".webp\" alt=\"\" width=\"320\" height=\"414\" loading=\"lazy\" "
                    "decoding=\"async\">";
  ASSERT_TRUE(has(body, img)) << body;
  // On the card of 2401.00020, and only there.
  auto card = body.find("id=\"p-2401-00020\"");
  auto other = body.find("id=\"p-2401-00010\"");
  ASSERT_NE(card, std::string::npos);
  ASSERT_NE(other, std::string::npos);
  auto at = body.find(img);
  EXPECT_GT(at, card);
  EXPECT_EQ(body.find("/thumbs/", at + img.size()), std::string::npos) << "one image: the other paper has none";
  EXPECT_TRUE(other < card ? at > card : at < other);
}

TEST_F(ThumbnailServerTest, TheApiGivesTheAbsoluteUrlOrNull) {
  record_thumbnail("2401.00010");
  std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/thumbs/" + hash_ + ".webp";
  auto with = server_->client().Get("/api/papers/2401.00010");
  ASSERT_TRUE(with);
  ASSERT_EQ(with->status, 200) << with->body;
  EXPECT_EQ(nlohmann::json::parse(with->body)["thumbnail"], url);
  auto without = server_->client().Get("/api/papers/2401.00020");
  ASSERT_TRUE(without);
  EXPECT_TRUE(nlohmann::json::parse(without->body)["thumbnail"].is_null());
  auto daily = server_->client().Get("/api/daily_papers?date=2024-01-05");
  ASSERT_TRUE(daily);
  ASSERT_EQ(daily->status, 200) << daily->body;
  auto items = nlohmann::json::parse(daily->body);
  ASSERT_EQ(items.size(), 2u);
  for (const auto& item : items) {
    nlohmann::json expected = item["id"] == "2401.00010" ? nlohmann::json(url) : nlohmann::json(nullptr);
    EXPECT_EQ(item["thumbnail"], expected) << item.dump();
    EXPECT_EQ(item["paper"]["thumbnail"], expected) << item.dump();
  }
}

}  // namespace
}  // namespace paperboy::web
