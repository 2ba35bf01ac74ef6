#include "support/TestPaths.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace tlslab::test {

std::filesystem::path sourceDir() { return TLSLAB_TEST_SOURCE_DIR; }
std::filesystem::path binaryDir() { return TLSLAB_TEST_BINARY_DIR; }
std::filesystem::path tlslabExe() { return binaryDir() / "tlslab"; }
std::filesystem::path conformanceDir() {
  // A checkout outside the usual layout (a git worktree) names the corpus in
  // TLSLAB_CONFORMANCE, as scripts/json-snapshot.sh does.
  if (const char* dir = std::getenv("TLSLAB_CONFORMANCE"); dir != nullptr && *dir != '\0') return dir;
  return TLSLAB_CONFORMANCE_DIR;
}

CommandResult run(const std::string& commandLine) {
  CommandResult result;
  std::string full = commandLine + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace tlslab::test
