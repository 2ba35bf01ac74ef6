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
  const bool ok = traced.selfCheckOk();
  return savePath.empty() ? ok : saveRun(out, traced, savePath) && ok;
}

bool saveRun(std::ostream& out, const scenarios::RunTrace& traced, const std::string& path) {
  std::ofstream file(path, std::ios::binary);
  file.write(traced.pcapng.data(), static_cast<std::streamsize>(traced.pcapng.size()));
  if (!file) {
    out << "cannot write " << path << "\n";
    return false;
  }
  out << "saved the run with its keys: " << path << "  (tlslab dissect " << path << ")\n";
  return true;
}

}  // namespace tlslab::cli
