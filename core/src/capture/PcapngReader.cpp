// pcapng reading beyond libpcap: the Decryption Secrets Block walk
// (draft-ietf-opsawg-pcapng §4.7) and a packet reader for files whose
// interfaces differ in link type or snaplen, which libpcap 1.10 refuses.
#include "PcapngReader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "Diagnostics.hpp"

namespace tlslab::capture {

using detail::makeDiagnostic;
using detail::PcapngBlocks;
using model::Severity;

namespace {

constexpr std::uint32_t kSimplePacket = 0x00000003;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptIfTsresol = 9;
constexpr std::uint16_t kOptIfTsoffset = 14;

void readSecrets(PcapngBlocks& blocks, const PcapngBlocks::Block& block, PcapngScan& scan,
                 const std::function<void(const SecretsBlock&)>& onSecrets) {
  const auto& body = block.body;
  if (body.size() < 8) {
    scan.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::DecryptionSecrets, Severity::Error, "Decryption Secrets Block",
                                              "body shorter than its 8-byte secrets type and length", std::nullopt,
                                              block.offset + 8));
    return;
  }
  std::uint32_t secretsLength = blocks.u32(body.data() + 4);
  if (secretsLength > body.size() - 8) {
    scan.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::DecryptionSecrets,
        Severity::Error, "Decryption Secrets Block",
        fmt::format("secrets length {} exceeds the {} bytes left in the block", secretsLength, body.size() - 8),
        std::nullopt, block.offset + 12));
    return;
  }
  SecretsBlock secrets;
  secrets.secretsType = blocks.u32(body.data());
  secrets.data.assign(reinterpret_cast<const char*>(body.data()) + 8, secretsLength);
  secrets.fileOffset = block.offset;
  scan.secretsBlocks++;
  if (secrets.secretsType != pcapng::kSecretsTls) {
    scan.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::DecryptionSecrets,
        Severity::Info, "Decryption Secrets Block",
        fmt::format("secrets type 0x{:08x} is not a TLS key log (0x544c534b); passed on as is", secrets.secretsType),
        std::nullopt, block.offset + 8));
  }
  onSecrets(secrets);
}

// IDB (§4.2): link type, snaplen, and the options that scale timestamps.
std::optional<detail::PcapngInterface> readInterface(const PcapngBlocks& blocks, const std::vector<std::uint8_t>& body) {
  if (body.size() < 8) return std::nullopt;
  detail::PcapngInterface iface;
  iface.linkType = blocks.u16(body.data());
  iface.snaplen = blocks.u32(body.data() + 4);
  std::size_t at = 8;
  while (at + 4 <= body.size()) {
    std::uint16_t code = blocks.u16(body.data() + at);
    std::uint16_t length = blocks.u16(body.data() + at + 2);
    at += 4;
    if (code == kOptEnd || length > body.size() - at) break;
    if (code == kOptIfTsresol && length >= 1) iface.tsresol = body[at];
    if (code == kOptIfTsoffset && length >= 8) {
      const std::uint8_t* p = body.data() + at;
      std::uint64_t hi = blocks.u32(blocks.bigEndian() ? p : p + 4), lo = blocks.u32(blocks.bigEndian() ? p + 4 : p);
      iface.tsoffsetSeconds = static_cast<std::int64_t>(hi << 32 | lo);
    }
    at += (static_cast<std::size_t>(length) + 3) & ~std::size_t{3};
  }
  return iface;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

namespace detail {

std::int64_t PcapngInterface::toNanos(std::uint64_t units) const {
  // Every step saturates: the count is 64 bits of the file's say-so.
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t nanos = 0;
  if ((tsresol & 0x80) == 0) {  // 10^-n seconds
    const int n = tsresol;
    if (n <= 9) {
      std::uint64_t scale = 1;
      for (int i = n; i < 9; ++i) scale *= 10;
      if (__builtin_mul_overflow(units, scale, &nanos)) nanos = kMax;
    } else {
      std::uint64_t scale = 1;
      for (int i = 9; i < n && i < 28; ++i) scale = scale > UINT64_MAX / 10 ? UINT64_MAX : scale * 10;
      nanos = units / scale;
    }
  } else {
    const long double value = std::ldexp(static_cast<long double>(units), -(tsresol & 0x7F)) * 1e9L;  // 2^-n seconds
    nanos = value >= static_cast<long double>(kMax) ? kMax : static_cast<std::uint64_t>(value);
  }
  return Timestamp::fromParts(tsoffsetSeconds, static_cast<std::int64_t>(std::min(nanos, kMax))).nanos;
}

PcapngPacketReader::PcapngPacketReader(std::FILE* file) : file_(file), blocks_(file) {}
PcapngPacketReader::~PcapngPacketReader() {
  if (file_ != nullptr) std::fclose(file_);
}

CaptureFile::Status PcapngPacketReader::next(RawPacket& packet) {
  PcapngBlocks::Block block;
  auto wanted = [](std::uint32_t type) {
    return type == pcapng::kInterfaceDescription || type == pcapng::kEnhancedPacket || type == kSimplePacket ||
           type == kObsoletePacket;
  };
  while (true) {
    auto status = blocks_.next(block, wanted);
    if (status == PcapngBlocks::Next::End) return CaptureFile::Status::End;
    if (status == PcapngBlocks::Next::Error) {
      error_ = blocks_.diagnostics().back().diagnostic.message;
      return CaptureFile::Status::Error;
    }
    if (block.newSection) interfaces_.clear();  // interface ids are per section
    const auto& b = block.body;
    std::uint32_t iface = 0, caplen = 0, len = 0;
    std::uint64_t units = 0;
    std::size_t dataAt = 0;
    switch (block.type) {
      case pcapng::kInterfaceDescription: {
        auto parsed = readInterface(blocks_, b);
        if (!parsed) {
          error_ = fmt::format("Interface Description Block at offset {} is too short", block.offset);
          return CaptureFile::Status::Error;
        }
        interfaces_.push_back(*parsed);
        continue;
      }
      case pcapng::kEnhancedPacket:  // §4.3: iface, ts high, ts low, caplen, len, data
        if (b.size() < 20) break;
        iface = blocks_.u32(b.data());
        units = std::uint64_t{blocks_.u32(b.data() + 4)} << 32 | blocks_.u32(b.data() + 8);
        caplen = blocks_.u32(b.data() + 12);
        len = blocks_.u32(b.data() + 16);
        dataAt = 20;
        break;
      case kObsoletePacket:  // iface u16, drops u16, ts high, ts low, caplen, len, data
        if (b.size() < 20) break;
        iface = blocks_.u16(b.data());
        units = std::uint64_t{blocks_.u32(b.data() + 4)} << 32 | blocks_.u32(b.data() + 8);
        caplen = blocks_.u32(b.data() + 12);
        len = blocks_.u32(b.data() + 16);
        dataAt = 20;
        break;
      case kSimplePacket:  // §4.4: original length, data (cut to the first interface's snaplen)
        if (b.size() < 4) break;
        len = blocks_.u32(b.data());
        caplen = static_cast<std::uint32_t>(std::min<std::size_t>(len, b.size() - 4));
        if (!interfaces_.empty() && interfaces_[0].snaplen != 0) caplen = std::min(caplen, interfaces_[0].snaplen);
        dataAt = 4;
        break;
      default:
        continue;  // statistics, name resolution, secrets (read up front), custom blocks
    }
    if (dataAt == 0 || iface >= interfaces_.size() || caplen > b.size() - dataAt) {
      error_ = fmt::format("packet block at offset {} is malformed (interface {}, {} captured bytes in a {}-byte body)",
                           block.offset, iface, caplen, b.size());
      return CaptureFile::Status::Error;
    }
    current_ = std::move(block.body);
    packet.linkType = interfaces_[iface].linkType;
    packet.time.nanos = interfaces_[iface].toNanos(units);
    packet.frame = ++frames_;
    packet.data = ByteView(current_.data() + dataAt, caplen);
    packet.originalLength = len;
    return CaptureFile::Status::Packet;
  }
}

}  // namespace detail

PcapngScan scanPcapng(std::FILE* file, const std::function<void(const SecretsBlock&)>& onSecrets) {
  PcapngScan scan;
  PcapngBlocks blocks(file);
  PcapngBlocks::Block block;
  auto wanted = [](std::uint32_t type) {
    return type == pcapng::kDecryptionSecrets || type == pcapng::kInterfaceDescription;
  };
  PcapngBlocks::Next status;
  while ((status = blocks.next(block, wanted)) == PcapngBlocks::Next::Block) {
    if (block.newSection) scan.sections++;
    switch (block.type) {
      case pcapng::kInterfaceDescription: {
        scan.interfaces++;
        if (auto iface = readInterface(blocks, block.body)) {
          scan.linkTypes.push_back(iface->linkType);
          scan.snaplens.push_back(iface->snaplen);
        }
        break;
      }
      case pcapng::kEnhancedPacket:
      case kSimplePacket:
      case kObsoletePacket:
        scan.packets++;
        break;
      case pcapng::kDecryptionSecrets:
        readSecrets(blocks, block, scan, onSecrets);
        break;
      default:
        break;
    }
  }
  for (auto& d : blocks.diagnostics()) scan.diagnostics.push_back(std::move(d));
  scan.complete = status == PcapngBlocks::Next::End;
  return scan;
}

PcapngScan scanPcapng(ByteView bytes, const std::function<void(const SecretsBlock&)>& onSecrets) {
  if (bytes.empty()) {
    PcapngScan scan;
    scan.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::CaptureFile, Severity::Error, "pcapng", "empty input", std::nullopt, 0));
    return scan;
  }
  std::unique_ptr<std::FILE, FileCloser> file(fmemopen(const_cast<std::uint8_t*>(bytes.data()), bytes.size(), "rb"));
  if (!file) {
    PcapngScan scan;
    scan.diagnostics.push_back(makeDiagnostic(model::DiagnosticCode::CaptureFile, Severity::Error, "pcapng", "cannot open the bytes as a stream"));
    return scan;
  }
  return scanPcapng(file.get(), onSecrets);
}

}  // namespace tlslab::capture
