#pragma once
#include <filesystem>
#include <string>

namespace tlslab::test {

std::filesystem::path sourceDir();
std::filesystem::path binaryDir();
// The `tlslab` executable built alongside the tests.
std::filesystem::path tlslabExe();
// ../shared/conformance (real captures from other projects), may be absent.
std::filesystem::path conformanceDir();

struct CommandResult {
  int exitCode = -1;
  std::string out;  // stdout and stderr interleaved
};
// Runs a shell command line, capturing its output (for CLI tests).
CommandResult run(const std::string& commandLine);

}  // namespace tlslab::test
