#pragma once
// Reads pcapng blocks one at a time (draft-ietf-opsawg-pcapng §3.1 general
// block structure, §4.1 Section Header Block): both byte orders, several
// sections, and both length copies checked, so a corrupt length is caught at
// the block where it is. Bodies are read only for the block types asked for.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

#include "tlslab/capture/Types.hpp"

namespace tlslab::capture::detail {

class PcapngBlocks {
 public:
  explicit PcapngBlocks(std::FILE* file) : file_(file) {}

  struct Block {
    std::uint32_t type = 0;
    std::uint64_t offset = 0;      // file offset of the block
    std::vector<std::uint8_t> body;  // only when wanted
    bool newSection = false;
  };
  enum class Next { Block, End, Error };
  // `wantBody(type)` decides whether the body is read or skipped.
  Next next(Block& block, const std::function<bool(std::uint32_t)>& wantBody);

  bool bigEndian() const { return bigEndian_; }
  std::uint32_t u32(const std::uint8_t* p) const {
    return bigEndian_ ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3])
                      : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0]);
  }
  std::uint16_t u16(const std::uint8_t* p) const {
    return static_cast<std::uint16_t>(bigEndian_ ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]));
  }
  std::vector<CaptureDiagnostic>& diagnostics() { return diagnostics_; }

 private:
  bool read(std::uint8_t* into, std::size_t n) { return std::fread(into, 1, n, file_) == n; }
  bool skip(std::uint64_t n);
  Next fail(std::string where, std::string message, std::uint64_t at);

  std::FILE* file_;
  bool bigEndian_ = false;
  bool inSection_ = false;
  std::uint64_t offset_ = 0;
  std::vector<CaptureDiagnostic> diagnostics_;
};

}  // namespace tlslab::capture::detail
