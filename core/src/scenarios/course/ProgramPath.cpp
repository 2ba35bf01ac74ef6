// Finding the program to run before forking, so a missing or non-executable
// file gets a message naming it rather than a bare "exec failed".
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "ProgramSpawn.hpp"

namespace tlslab::course::detail {

std::string findExecutable(const std::string& name, const std::string& cwd, std::string& why) {
  namespace fs = std::filesystem;
  if (name.empty()) {
    why = "no program given";
    return {};
  }
  auto usable = [&why](const fs::path& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      why = "no such file: " + path.string();
      return false;
    }
    if (fs::is_directory(status)) {
      why = path.string() + " is a folder, not a program";
      return false;
    }
    if (::access(path.c_str(), X_OK) != 0) {
      why = path.string() + " is not executable (build it first, or chmod +x it)";
      return false;
    }
    return true;
  };
  if (name.find('/') != std::string::npos) {
    fs::path path(name);
    if (path.is_relative() && !cwd.empty()) path = fs::path(cwd) / path;
    // Absolute: the child changes into its working folder before exec.
    return usable(path) ? fs::absolute(path).string() : std::string();
  }
  const char* envPath = std::getenv("PATH");
  std::string searchPath = envPath ? envPath : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= searchPath.size()) {
    std::size_t end = searchPath.find(':', start);
    if (end == std::string::npos) end = searchPath.size();
    std::string dir = searchPath.substr(start, end - start);
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return fs::absolute(candidate).string();
    start = end + 1;
  }
  why = "'" + name + "' was not found in PATH";
  return {};
}

}  // namespace tlslab::course::detail
