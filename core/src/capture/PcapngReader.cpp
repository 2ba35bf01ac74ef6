// A pcapng block walker (draft-ietf-opsawg-pcapng §3.1 general block
// structure, §4.1 Section Header Block, §4.7 Decryption Secrets Block). Only
// DSBs are read in full; every other block is skipped by its length, and its
// trailing length copy is checked so a corrupt length is caught where it is.
#include <fmt/format.h>

#include <array>
#include <memory>

#include "Diagnostics.hpp"
#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {

constexpr std::uint32_t kMaxSecretsBlock = 64u << 20;  // a key log for ~500k connections

struct Walker {
  std::FILE* file;
  const std::function<void(const SecretsBlock&)>& onSecrets;
  PcapngScan scan;
  bool bigEndian = false;
  bool inSection = false;
  std::uint64_t offset = 0;

  std::uint32_t u32(const std::uint8_t* p) const {
    return bigEndian ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3])
                     : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0]);
  }
  void error(std::string where, std::string message, std::uint64_t at) {
    scan.diagnostics.push_back(
        makeDiagnostic(Severity::Error, std::move(where), std::move(message), std::nullopt, at));
  }
  // Reads exactly n bytes; false at a short read.
  bool read(std::uint8_t* into, std::size_t n) { return std::fread(into, 1, n, file) == n; }
  bool skip(std::uint64_t n) {
    if (n == 0) return true;
    if (std::fseek(file, static_cast<long>(n), SEEK_CUR) == 0) return true;
    std::array<std::uint8_t, 4096> sink{};  // streams that cannot seek
    while (n > 0) {
      std::size_t step = std::min<std::uint64_t>(n, sink.size());
      if (!read(sink.data(), step)) return false;
      n -= step;
    }
    return true;
  }

  bool run();
  bool block();
  void secrets(const std::vector<std::uint8_t>& body, std::uint64_t at);
};

bool Walker::block() {
  std::array<std::uint8_t, 12> head{};
  std::size_t got = std::fread(head.data(), 1, 8, file);
  if (got == 0 && std::feof(file)) return false;  // clean end of file
  if (got < 8) {
    error("pcapng block", fmt::format("truncated block header: {} of 8 bytes at the end of the file", got), offset);
    return false;
  }
  std::uint32_t typeLe = std::uint32_t{head[3]} << 24 | std::uint32_t{head[2]} << 16 |
                         std::uint32_t{head[1]} << 8 | head[0];
  if (typeLe == pcapng::kSectionHeader) {  // the SHB type is a palindrome in both byte orders
    got += std::fread(head.data() + 8, 1, 4, file);  // the byte-order magic decides how to read the length
    if (got < 12) {
      error("Section Header Block", "truncated before its byte-order magic", offset);
      return false;
    }
    if (head[8] == 0x4D && head[9] == 0x3C && head[10] == 0x2B && head[11] == 0x1A) {
      bigEndian = false;
    } else if (head[8] == 0x1A && head[9] == 0x2B && head[10] == 0x3C && head[11] == 0x4D) {
      bigEndian = true;
    } else {
      error("Section Header Block",
            fmt::format("byte-order magic {:02x}{:02x}{:02x}{:02x} is neither 1a2b3c4d nor 4d3c2b1a", head[8],
                        head[9], head[10], head[11]),
            offset + 8);
      return false;
    }
    inSection = true;
    scan.sections++;
  } else if (!inSection) {
    error("pcapng", "the file does not start with a Section Header Block", offset);
    return false;
  }
  std::uint32_t type = u32(head.data());
  std::uint32_t length = u32(head.data() + 4);
  if (length < 12 || length % 4 != 0 || (type == pcapng::kSectionHeader && length < 28)) {
    error("pcapng block",
          fmt::format("block of type 0x{:08x} has an impossible total length {} (needs >= 12 and a multiple of 4)",
                      type, length),
          offset + 4);
    return false;
  }
  std::uint64_t bodyLength = length - 12;
  std::uint64_t alreadyRead = got - 8;  // SHB: the magic was read with the header
  std::vector<std::uint8_t> body;
  if (type == pcapng::kDecryptionSecrets) {
    if (length > kMaxSecretsBlock) {
      error("Decryption Secrets Block", fmt::format("block of {} bytes exceeds the {} byte limit", length,
                                                    kMaxSecretsBlock),
            offset + 4);
      return false;
    }
    body.assign(head.begin() + 8, head.begin() + static_cast<std::ptrdiff_t>(got));
    body.resize(bodyLength);
    if (bodyLength > alreadyRead && !read(body.data() + alreadyRead, bodyLength - alreadyRead)) {
      error("Decryption Secrets Block",
            fmt::format("truncated: the block claims {} bytes but the file ends first", length), offset);
      return false;
    }
  } else if (bodyLength < alreadyRead || !skip(bodyLength - alreadyRead)) {
    error("pcapng block", fmt::format("block of type 0x{:08x} claims {} bytes but the file ends first", type, length),
          offset);
    return false;
  }
  std::array<std::uint8_t, 4> trailer{};
  if (!read(trailer.data(), trailer.size())) {
    error("pcapng block",
          fmt::format("block of type 0x{:08x} claims {} bytes but the file ends before its trailing length", type,
                      length),
          offset);
    return false;
  }
  if (u32(trailer.data()) != length) {
    error("pcapng block",
          fmt::format("block of type 0x{:08x}: trailing length {} differs from the leading length {} "
                      "(corrupt block length)",
                      type, u32(trailer.data()), length),
          offset + length - 4);
    return false;
  }
  switch (type) {
    case pcapng::kInterfaceDescription: scan.interfaces++; break;
    case pcapng::kEnhancedPacket:
    case 0x00000003:  // Simple Packet Block
    case 0x00000002:  // obsolete Packet Block
      scan.packets++;
      break;
    case pcapng::kDecryptionSecrets: secrets(body, offset); break;
    default: break;
  }
  offset += length;
  return true;
}

void Walker::secrets(const std::vector<std::uint8_t>& body, std::uint64_t at) {
  if (body.size() < 8) {
    error("Decryption Secrets Block", "body shorter than its 8-byte secrets type and length", at + 8);
    return;
  }
  std::uint32_t secretsType = u32(body.data());
  std::uint32_t secretsLength = u32(body.data() + 4);
  if (secretsLength > body.size() - 8) {
    error("Decryption Secrets Block",
          fmt::format("secrets length {} exceeds the {} bytes left in the block", secretsLength, body.size() - 8),
          at + 12);
    return;
  }
  scan.secretsBlocks++;
  SecretsBlock block;
  block.secretsType = secretsType;
  block.data.assign(reinterpret_cast<const char*>(body.data()) + 8, secretsLength);
  block.fileOffset = at;
  if (secretsType != pcapng::kSecretsTls) {
    scan.diagnostics.push_back(makeDiagnostic(
        Severity::Info, "Decryption Secrets Block",
        fmt::format("secrets type 0x{:08x} is not a TLS key log (0x544c534b); passed on as is", secretsType),
        std::nullopt, at + 8));
  }
  onSecrets(block);
}

bool Walker::run() {
  while (block()) {
  }
  return scan.diagnostics.empty() || scan.diagnostics.back().diagnostic.severity != Severity::Error;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

PcapngScan scanPcapng(std::FILE* file, const std::function<void(const SecretsBlock&)>& onSecrets) {
  Walker walker{file, onSecrets, {}};
  walker.scan.complete = walker.run();
  return std::move(walker.scan);
}

PcapngScan scanPcapng(ByteView bytes, const std::function<void(const SecretsBlock&)>& onSecrets) {
  if (bytes.empty()) {
    PcapngScan scan;
    scan.diagnostics.push_back(makeDiagnostic(Severity::Error, "pcapng", "empty input", std::nullopt, 0));
    return scan;
  }
  std::unique_ptr<std::FILE, FileCloser> file(
      fmemopen(const_cast<std::uint8_t*>(bytes.data()), bytes.size(), "rb"));
  if (!file) {
    PcapngScan scan;
    scan.diagnostics.push_back(makeDiagnostic(Severity::Error, "pcapng", "cannot open the bytes as a stream"));
    return scan;
  }
  return scanPcapng(file.get(), onSecrets);
}

}  // namespace tlslab::capture
