// render_first_page on PDFs the tests make by hand (support/test_pdf.h): the image is a WebP of the
// asked width with the page's proportions, and shows the page (the rectangle where the PDF draws
// it, white paper elsewhere); damaged and foreign inputs are refused with a reason.
#include "thumbs/page_render.h"

#include <gtest/gtest.h>
#include <webp/decode.h>

#include <cstdlib>
#include <memory>

#include "support/test_pdf.h"

namespace paperboy::thumbs {
namespace {

struct Pixels {
  int width = 0, height = 0;
  std::unique_ptr<uint8_t, void (*)(void*)> rgb{nullptr, WebPFree};
  [[nodiscard]] const uint8_t* at(int x, int y) const { return rgb.get() + (static_cast<size_t>(y) * width + x) * 3; }
};

Pixels decode(const std::string& webp) {
  Pixels p;
  p.rgb.reset(WebPDecodeRGB(reinterpret_cast<const uint8_t*>(webp.data()), webp.size(), &p.width, &p.height));
  return p;
}

bool near(const uint8_t* px, int r, int g, int b, int tolerance = 40) {
  return std::abs(px[0] - r) <= tolerance && std::abs(px[1] - g) <= tolerance && std::abs(px[2] - b) <= tolerance;
}

TEST(RenderFirstPage, RendersTheFirstPageAsAWebPOfTheAskedWidth) {
  auto page = render_first_page(testing::one_page_pdf());
  ASSERT_TRUE(page) << page.error().to_string();
  EXPECT_EQ(page->width, 320);
  EXPECT_EQ(page->height, 414);  // 792 / 612 * 320, rounded
  ASSERT_GE(page->webp.size(), 12u);
  EXPECT_EQ(page->webp.substr(0, 4), "RIFF");
  EXPECT_EQ(page->webp.substr(8, 4), "WEBP");
  EXPECT_LT(page->webp.size(), 20'000u) << "a thumbnail should stay small";
  Pixels px = decode(page->webp);
  ASSERT_NE(px.rgb, nullptr);
  ASSERT_EQ(px.width, 320);
  ASSERT_EQ(px.height, 414);
  // The rectangle: x 72..540 pt, y 600..720 pt from the bottom of a 792 pt page; scale 320/612.
  const double s = 320.0 / 612;
  int cx = static_cast<int>((testing::kPdfRectX + testing::kPdfRectW / 2) * s);
  int cy = static_cast<int>((792 - testing::kPdfRectY - testing::kPdfRectH / 2) * s);
  EXPECT_TRUE(near(px.at(cx, cy), 51, 77, 204))
      << "rectangle pixel " << int(px.at(cx, cy)[0]) << "," << int(px.at(cx, cy)[1]) << "," << int(px.at(cx, cy)[2]);
  // Below the text, nothing is drawn: white paper, not a transparent or black background.
  EXPECT_TRUE(near(px.at(160, 380), 255, 255, 255, 10));
  EXPECT_TRUE(near(px.at(5, 5), 255, 255, 255, 10));
}

TEST(RenderFirstPage, HonoursTheWidthOption) {
  RenderOptions o;
  o.width = 100;
  auto page = render_first_page(testing::one_page_pdf(), o);
  ASSERT_TRUE(page) << page.error().to_string();
  EXPECT_EQ(page->width, 100);
  EXPECT_EQ(page->height, 129);
}

TEST(RenderFirstPage, RefusesADamagedPdf) {
  auto page = render_first_page(testing::corrupt_pdf());
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find("PDF"), std::string::npos) << page.error().to_string();
}

TEST(RenderFirstPage, RefusesWhatIsNotAPdf) {
  for (std::string body : {std::string("<!DOCTYPE html><html><body>PDF unavailable</body></html>"), std::string(),
                           std::string("\x89PNG\r\n\x1a\n", 8)}) {
    auto page = render_first_page(body);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(page.error().message().find("not a PDF"), std::string::npos) << page.error().to_string();
  }
}

TEST(RenderFirstPage, RefusesAPdfOverTheSizeLimitUnread) {
  RenderOptions o;
  o.max_pdf_bytes = 100;
  auto page = render_first_page(testing::one_page_pdf(), o);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find("over the limit"), std::string::npos);
}

TEST(RenderFirstPage, ATruncatedPdfNeverCrashes) {
  // Every prefix of a valid PDF: each renders or is refused, none crashes (poppler reconstructs
  // what it can from a damaged file).
  std::string pdf = testing::one_page_pdf();
  int refused = 0;
  for (size_t n = 0; n < pdf.size(); n += 37) {
    auto page = render_first_page(std::string_view(pdf).substr(0, n));
    if (!page) {
      ++refused;
      EXPECT_EQ(page.error().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace paperboy::thumbs
