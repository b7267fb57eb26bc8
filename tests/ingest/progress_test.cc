#include "ingest/progress.h"

#include <gtest/gtest.h>

namespace paperboy::ingest {
namespace {

TEST(IngestProgress, RendersBarPercentRateAndEtaFromBytesRead) {
  IngestProgress progress(/*bar=*/true, "corpus.zst", /*total_bytes=*/1000);
  // A quarter of the file in 10 s: 30 s to go.
  std::string line = progress.render(/*records=*/5000, /*bytes_read=*/250, /*seconds=*/10, /*width=*/20);
  EXPECT_EQ(line.rfind("[#####               ] ", 0), 0u) << line;
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("5000 records"), std::string::npos) << line;
  EXPECT_NE(line.find("500 rec/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:30"), std::string::npos) << line;
}

TEST(IngestProgress, PlainLogLineHasNoBarAndUnknownEtaBeforeAnyProgress) {
  IngestProgress progress(/*bar=*/false, "a.jsonl", 1000);
  std::string line = progress.render(0, 0, 0, /*width=*/0);
  EXPECT_EQ(line.find('['), std::string::npos) << line;
  EXPECT_NE(line.find("ETA ?"), std::string::npos) << line;
}

}  // namespace
}  // namespace paperboy::ingest
