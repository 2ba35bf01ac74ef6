#include "MaterialFiles.hpp"

#include <fstream>
#include <iterator>

namespace tlslab::course {

namespace fs = std::filesystem;

std::string writeMaterial(const fs::path& workspace, std::string_view name, std::string_view bytes) {
  std::ofstream out(workspace / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return out ? std::string{} : "cannot write " + std::string(name);
}

pki::Result<std::string> readMaterial(const fs::path& workspace, std::string_view name, std::size_t limit) {
  using R = pki::Result<std::string>;
  const fs::path file = workspace / name;
  const std::string again = " (`tlslab lab start` in the workspace's parent folder makes it again)";
  std::error_code ec;
  if (!fs::exists(file, ec)) return R::failure("there is no " + std::string(name) + " in your workspace" + again);
  if (!fs::is_regular_file(file, ec)) return R::failure(std::string(name) + " is not a regular file");
  if (fs::file_size(file, ec) > limit)
    return R::failure(std::string(name) + " is larger than " + std::to_string(limit >> 20) + " MiB: not the lab's own" + again);
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (!in && !in.eof()) return R::failure("cannot read " + std::string(name));
  return R::success(std::move(bytes));
}

}  // namespace tlslab::course
