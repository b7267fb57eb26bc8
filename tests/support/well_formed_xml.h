// Test support: whether a text is a well-formed XML document, by Debian's expat (which checks
// UTF-8 and XML 1.0 characters). Link PkgConfig::EXPAT_TEST.
#pragma once

#include <expat.h>

#include <string>

namespace paperboy::testing {

inline bool is_well_formed_xml(const std::string& text, std::string* error) {
  XML_Parser p = XML_ParserCreate(nullptr);
  bool ok = XML_Parse(p, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_OK;
  if (!ok && error != nullptr) *error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return ok;
}

}  // namespace paperboy::testing
