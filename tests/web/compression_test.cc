// Response compression: the coding chosen from Accept-Encoding, and compressed bodies that real
// decoders (zlib, Brotli) turn back into the original.
#include "web/compression.h"

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <thread>
#include <vector>

namespace paperboy::web {
namespace {

std::string gunzip(std::string_view data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

std::string unbrotli(std::string_view data) {
  std::string out(1 << 20, '\0');
  size_t size = out.size();
  EXPECT_EQ(BrotliDecoderDecompress(data.size(), reinterpret_cast<const uint8_t*>(data.data()), &size,
                                    reinterpret_cast<uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

TEST(Compression, ChoosesTheBestCodingTheClientAccepts) {
  EXPECT_EQ(preferred_encoding(""), Encoding::kIdentity);
  EXPECT_EQ(preferred_encoding("identity"), Encoding::kIdentity);
  EXPECT_EQ(preferred_encoding("gzip"), Encoding::kGzip);
  EXPECT_EQ(preferred_encoding("gzip, deflate, br"), Encoding::kBrotli);  // what browsers send
  EXPECT_EQ(preferred_encoding("gzip, deflate, br, zstd"), Encoding::kBrotli);
  EXPECT_EQ(preferred_encoding("br;q=0, gzip"), Encoding::kGzip);  // q=0 refuses
  EXPECT_EQ(preferred_encoding("gzip;q=1.0, br;q=0.5"), Encoding::kGzip);
  EXPECT_EQ(preferred_encoding("GZIP"), Encoding::kGzip);
  EXPECT_EQ(preferred_encoding("gzip;q=0, br;q=0"), Encoding::kIdentity);
  EXPECT_EQ(preferred_encoding("gzip;q=zz"), Encoding::kIdentity);  // malformed weight: not accepted
  EXPECT_EQ(preferred_encoding("*"), Encoding::kIdentity);
}

TEST(Compression, KnowsWhichMediaTypesAreText) {
  EXPECT_TRUE(is_compressible("text/html; charset=utf-8"));
  EXPECT_TRUE(is_compressible("application/json"));
  EXPECT_TRUE(is_compressible("application/atom+xml; charset=utf-8"));
  EXPECT_TRUE(is_compressible("application/javascript"));
  EXPECT_FALSE(is_compressible("font/woff2"));
  EXPECT_FALSE(is_compressible("image/png"));
  EXPECT_FALSE(is_compressible("text/event-stream"));
}

TEST(Compression, VariantsDecodeToTheBodyAndAreMadeOnce) {
  std::string body;
  for (int i = 0; i < 2000; ++i)
    body += "<li class=\"paper\">Attention is all you need &amp; more " + std::to_string(i) + "</li>\n";
  CompressedVariants variants;
  std::string_view gz = variants.get(Encoding::kGzip, body);
  std::string_view br = variants.get(Encoding::kBrotli, body);
  EXPECT_LT(gz.size(), body.size() / 4);
  EXPECT_LT(br.size(), gz.size());
  EXPECT_EQ(gunzip(gz), body);
  EXPECT_EQ(unbrotli(br), body);
  EXPECT_EQ(variants.get(Encoding::kIdentity, body), body);
  // Later calls (from any thread) see the same bytes, not a second compression.
  std::vector<std::thread> threads;
  std::vector<const char*> seen(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { seen[t] = variants.get(Encoding::kBrotli, body).data(); });
  }
  for (auto& th : threads) th.join();
  for (const char* p : seen) EXPECT_EQ(p, br.data());
}

}  // namespace
}  // namespace paperboy::web
