#pragma once
// Small helpers to build CaptureDiagnostics with less noise at call sites.
#include <optional>
#include <string>

#include "tlslab/capture/Types.hpp"

namespace tlslab::capture::detail {

inline CaptureDiagnostic makeDiagnostic(model::DiagnosticCode code, model::Severity severity, std::string where,
                                        std::string message,
                                        std::optional<std::uint64_t> frame = std::nullopt,
                                        std::optional<std::size_t> offset = std::nullopt) {
  CaptureDiagnostic d;
  d.diagnostic.code = code;
  d.diagnostic.severity = severity;
  d.diagnostic.where = std::move(where);
  d.diagnostic.message = std::move(message);
  d.diagnostic.offset = offset;
  d.frame = frame;
  return d;
}

}  // namespace tlslab::capture::detail
