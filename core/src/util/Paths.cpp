#include "tlslab/util/Paths.hpp"

#include <cstdlib>

namespace tlslab {

std::filesystem::path homeDir() {
  if (const char* env = std::getenv("TLSLAB_HOME"); env != nullptr && *env != '\0') return env;
  return TLSLAB_DEFAULT_HOME;
}

std::filesystem::path certsDir() { return homeDir() / "certs"; }

const char* versionString() { return TLSLAB_VERSION; }

}  // namespace tlslab
