// The templates (templates/*.mustache) and our own static files (static/*) compiled into the
// binary by embed.cmake, keyed by their path relative to src/web ("templates/layout.mustache").
// Immutable after first use; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace paperboy::web {

struct EmbeddedFile {
  std::string_view path;
  std::string_view content;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace paperboy::web
