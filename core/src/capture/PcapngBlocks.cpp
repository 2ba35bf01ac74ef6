#include "PcapngBlocks.hpp"

#include <fmt/format.h>

#include <array>

#include "Diagnostics.hpp"
#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::capture::detail {

using model::Severity;

namespace {
constexpr std::uint32_t kMaxBody = 64u << 20;  // a body we read into memory (a key log for ~500k connections)
}

bool PcapngBlocks::skip(std::uint64_t n) {
  if (n == 0) return true;
  if (n < (1ull << 62) && std::fseek(file_, static_cast<long>(n), SEEK_CUR) == 0) return true;
  std::array<std::uint8_t, 4096> sink{};  // streams that cannot seek
  while (n > 0) {
    std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(n, sink.size()));
    if (!read(sink.data(), step)) return false;
    n -= step;
  }
  return true;
}

PcapngBlocks::Next PcapngBlocks::fail(std::string where, std::string message, std::uint64_t at) {
  diagnostics_.push_back(makeDiagnostic(model::DiagnosticCode::CaptureFile, Severity::Error, std::move(where), std::move(message), std::nullopt, at));
  return Next::Error;
}

PcapngBlocks::Next PcapngBlocks::next(Block& block, const std::function<bool(std::uint32_t)>& wantBody) {
  std::array<std::uint8_t, 12> head{};
  std::size_t got = std::fread(head.data(), 1, 8, file_);
  if (got == 0 && std::feof(file_)) return Next::End;
  if (got < 8) {
    return fail("pcapng block", fmt::format("truncated block header: {} of 8 bytes at the end of the file", got),
                offset_);
  }
  block = Block{};
  block.offset = offset_;
  std::uint32_t typeLe = std::uint32_t{head[3]} << 24 | std::uint32_t{head[2]} << 16 |
                         std::uint32_t{head[1]} << 8 | head[0];
  if (typeLe == pcapng::kSectionHeader) {  // the SHB type reads the same in both byte orders
    got += std::fread(head.data() + 8, 1, 4, file_);  // the byte-order magic decides how to read the length
    if (got < 12) return fail("Section Header Block", "truncated before its byte-order magic", offset_);
    if (head[8] == 0x4D && head[9] == 0x3C && head[10] == 0x2B && head[11] == 0x1A) {
      bigEndian_ = false;
    } else if (head[8] == 0x1A && head[9] == 0x2B && head[10] == 0x3C && head[11] == 0x4D) {
      bigEndian_ = true;
    } else {
      return fail("Section Header Block",
                  fmt::format("byte-order magic {:02x}{:02x}{:02x}{:02x} is neither 1a2b3c4d nor 4d3c2b1a", head[8],
                              head[9], head[10], head[11]),
                  offset_ + 8);
    }
    inSection_ = true;
    block.newSection = true;
  } else if (!inSection_) {
    return fail("pcapng", "the file does not start with a Section Header Block", offset_);
  }
  block.type = u32(head.data());
  std::uint32_t length = u32(head.data() + 4);
  if (length < 12 || length % 4 != 0 || (block.type == pcapng::kSectionHeader && length < 28)) {
    return fail("pcapng block",
                fmt::format("block of type 0x{:08x} has an impossible total length {} (needs >= 12 and a multiple "
                            "of 4)",
                            block.type, length),
                offset_ + 4);
  }
  std::uint64_t bodyLength = length - 12;
  std::uint64_t alreadyRead = got - 8;  // the SHB's magic was read with its header
  if (wantBody(block.type)) {
    if (length > kMaxBody) {
      return fail("pcapng block",
                  fmt::format("block of type 0x{:08x} has {} bytes, more than the {} byte limit", block.type, length,
                              kMaxBody),
                  offset_ + 4);
    }
    block.body.assign(head.begin() + 8, head.begin() + static_cast<std::ptrdiff_t>(got));
    block.body.resize(bodyLength);
    if (bodyLength > alreadyRead && !read(block.body.data() + alreadyRead, bodyLength - alreadyRead)) {
      return fail("pcapng block",
                  fmt::format("truncated: the block of type 0x{:08x} claims {} bytes but the file ends first",
                              block.type, length),
                  offset_);
    }
  } else if (!skip(bodyLength - alreadyRead)) {
    return fail("pcapng block",
                fmt::format("truncated: the block of type 0x{:08x} claims {} bytes but the file ends first",
                            block.type, length),
                offset_);
  }
  std::array<std::uint8_t, 4> trailer{};
  if (!read(trailer.data(), trailer.size())) {
    return fail("pcapng block",
                fmt::format("truncated: the block of type 0x{:08x} claims {} bytes but the file ends before its "
                            "trailing length",
                            block.type, length),
                offset_);
  }
  if (u32(trailer.data()) != length) {
    return fail("pcapng block",
                fmt::format("block of type 0x{:08x}: trailing length {} differs from the leading length {} "
                            "(corrupt block length)",
                            block.type, u32(trailer.data()), length),
                offset_ + length - 4);
  }
  offset_ += length;
  return Next::Block;
}

}  // namespace tlslab::capture::detail
