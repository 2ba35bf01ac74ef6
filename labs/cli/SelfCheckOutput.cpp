#include "cli/SelfCheckOutput.hpp"

#include <fstream>

namespace tlslab::cli {

bool reportSelfCheck(std::ostream& out, const scenarios::RunTrace& traced, const std::string& savePath) {
  if (!traced.error.empty()) {
    out << "self-check: ✗ " << traced.error << "\n";
    return false;
  }
  for (std::size_t i = 0; i < traced.checks.size(); ++i) {
    const auto& check = traced.checks[i];
    std::string who = i < traced.trace.connections.size()
                          ? traced.trace.connections[i].clientLabel + " -> " + traced.trace.connections[i].serverLabel
                          : "connection " + std::to_string(i);
    const char* mark = !check.applicable ? "-" : check.ok ? "✓" : "✗";
    out << "self-check (" << who << "): " << mark << " " << check.message << "\n";
  }
  bool ok = traced.selfCheckOk();
  if (!savePath.empty()) {
    std::ofstream file(savePath, std::ios::binary);
    file.write(traced.pcapng.data(), static_cast<std::streamsize>(traced.pcapng.size()));
    if (!file) {
      out << "cannot write " << savePath << "\n";
      return false;
    }
    out << "saved the run with its keys: " << savePath << "  (tlslab dissect " << savePath << ")\n";
  }
  return ok;
}

}  // namespace tlslab::cli
