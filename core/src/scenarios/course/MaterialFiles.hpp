#pragma once
// A lab's materials in a workspace (captures, key logs): written at `lab
// start`, read back by the checks with a bound, and a missing or damaged file
// named in words the student can act on.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "tlslab/pki/Result.hpp"

namespace tlslab::course {

// "" on success, else what could not be written.
std::string writeMaterial(const std::filesystem::path& workspace, std::string_view name, std::string_view bytes);

// The file's bytes; an error naming the file when it is missing, not a
// regular file, or larger than `limit` (a capture of the lab is far smaller).
pki::Result<std::string> readMaterial(const std::filesystem::path& workspace, std::string_view name,
                                      std::size_t limit = std::size_t{8} << 20);

}  // namespace tlslab::course
