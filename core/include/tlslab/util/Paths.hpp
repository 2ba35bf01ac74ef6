#pragma once
#include <filesystem>

namespace tlslab {

// The tlslab source/data folder holding certs/, captures/ and tutorials/:
// $TLSLAB_HOME when set, else the folder the build was configured from.
std::filesystem::path homeDir();
std::filesystem::path certsDir();
// "0.1.0": recorded in the files tlslab writes for students (workspaces).
const char* versionString();

}  // namespace tlslab
