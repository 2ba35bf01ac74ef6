#pragma once
#include <filesystem>

namespace tlslab {

// The tlslab source/data folder holding certs/, captures/ and tutorials/:
// $TLSLAB_HOME when set, else the folder the build was configured from.
std::filesystem::path homeDir();
std::filesystem::path certsDir();

}  // namespace tlslab
