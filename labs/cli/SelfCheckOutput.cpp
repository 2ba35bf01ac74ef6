#include "cli/SelfCheckOutput.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli/StepOutput.hpp"

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
    if (check.applicable && i < traced.trace.connections.size())
      out << "key schedule (" << who << "): " << scheduleSummary(traced.trace.connections[i]) << "\n";
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
  if (traced.ephemeralKeys.empty()) return true;
  const std::string keysPath = ephemeralKeysPath(path);
  std::ofstream keys(keysPath, std::ios::binary | std::ios::trunc);
  keys << keys::ephemeralKeyText(traced.ephemeralKeys);
  if (!keys) {
    out << "cannot write " << keysPath << "\n";
    return false;
  }
  keys.close();
  ::chmod(keysPath.c_str(), 0600);
  out << "saved its ephemeral keys beside it (never inside): " << keysPath << "  (tlslab keys explain --capture "
      << path << " --ephemeral-keys " << keysPath << ")\n";
  return true;
}

std::string ephemeralKeysPath(const std::string& pcapngPath) {
  std::filesystem::path p(pcapngPath);
  if (p.extension() == ".pcapng" || p.extension() == ".pcap") p.replace_extension();
  return p.string() + ".ephemeral-keys";
}

void printRunSchedules(std::ostream& out, const scenarios::RunTrace& traced) {
  for (const auto& conn : traced.trace.connections) {
    out << "\n== key schedule: " << conn.clientLabel << " -> " << conn.serverLabel << ", " << conn.negotiated.suiteName
        << "\n   " << scheduleSummary(conn) << "\n\n";
    printSchedule(out, conn);
  }
}

}  // namespace tlslab::cli
