// PDFs made by hand for the thumbnail tests and benchmark: a valid one-page PDF (US Letter) with
// a filled rectangle near the top and a line of Helvetica text, its cross-reference table built
// from the real byte offsets (ISO 32000 §7.5.4: 20-byte entries), and a damaged one. Test-only.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace paperboy::testing {

// The rectangle's place on the 612 x 792 pt page (PDF coordinates: origin bottom left) and its
// colour (0.2, 0.3, 0.8) = RGB (51, 77, 204).
inline constexpr double kPdfRectX = 72, kPdfRectY = 600, kPdfRectW = 468, kPdfRectH = 120;

// A one-page PDF; `title` is drawn as text (ASCII, no parentheses or backslashes).
inline std::string one_page_pdf(const std::string& title = "A paper about thumbnails") {
  char rect[128];
  std::snprintf(rect, sizeof rect, "0.2 0.3 0.8 rg %g %g %g %g re f\n", kPdfRectX, kPdfRectY, kPdfRectW, kPdfRectH);
  std::string content = std::string(rect) + "0 0 0 rg BT /F1 18 Tf 72 560 Td (" + title + ") Tj ET\n";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// Starts like a PDF, then garbage: no object, no cross-reference table, no page.
inline std::string corrupt_pdf() {
  return "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nthis is not a pdf any more \x01\x02\x03"
         "\nstartxref\n999999\n%%EOF\n";
}

}  // namespace paperboy::testing
