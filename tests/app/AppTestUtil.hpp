#pragma once
// Shared by the app tests: conformance captures dissected, and their
// conversations decoded.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "support/TestPaths.hpp"
#include "tlslab/app/Conversation.hpp"
#include "tlslab/dissect/TlsDissector.hpp"

namespace tlslab::apptest {

inline std::filesystem::path wireshark() { return test::conformanceDir() / "wireshark"; }

// The capture dissected with its key log (or its DSB when keylog is empty).
inline std::optional<model::Trace> dissectCase(const std::string& capture, const std::string& keylog = {}) {
  keys::KeyStore keys;
  if (!keylog.empty() && !keys.addKeyLogFile(wireshark() / keylog)) return std::nullopt;
  auto trace = dissect::dissectFile(wireshark() / capture, keys);
  if (!trace.ok()) return std::nullopt;
  return std::move(trace.value());
}

inline std::string headerValue(const app::Message& m, const std::string& name) {
  for (const auto& h : m.headers)
    if (h.name == name) return h.value;
  return "<absent>";
}

inline std::string asString(const Bytes& bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace tlslab::apptest
