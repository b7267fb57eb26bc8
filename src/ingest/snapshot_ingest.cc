#include "ingest/snapshot_ingest.h"

namespace paperboy::ingest {

Result<IngestSummary> ingest_snapshot_files(store::Store&, const std::vector<std::string>&, const IngestOptions&) {
  return fail(Status::internal("snapshot ingest: under construction"));
}

}  // namespace paperboy::ingest
