// pcapng (draft-ietf-opsawg-pcapng §4) and classic pcap (draft-ietf-opsawg-pcap §4) writers.
#include <algorithm>

#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::capture {

namespace {

void pad4(Bytes& b) {
  while (b.size() % 4 != 0) b.push_back(0);
}
void write(std::ostream& out, const Bytes& b) {
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptShbUserAppl = 4;
constexpr std::uint16_t kOptIfName = 2;
constexpr std::uint16_t kOptIfTsresol = 9;

}  // namespace

PcapngWriter::PcapngWriter(std::ostream& out, bool bigEndian, std::string_view application)
    : out_(out), bigEndian_(bigEndian) {
  Bytes body;
  put32(body, pcapng::kByteOrderMagic);
  put16(body, 1);  // major
  put16(body, 0);  // minor
  for (int i = 0; i < 8; ++i) body.push_back(0xFF);  // section length -1: not specified
  if (!application.empty()) putOption(body, kOptShbUserAppl, asBytes(application));
  putOption(body, kOptEnd, {});
  writeBlock(pcapng::kSectionHeader, body);
}

void PcapngWriter::put32(Bytes& b, std::uint32_t v) const {
  for (int i = 0; i < 4; ++i) {
    int shift = bigEndian_ ? (3 - i) * 8 : i * 8;
    b.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void PcapngWriter::put16(Bytes& b, std::uint16_t v) const {
  if (bigEndian_) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
  } else {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
  }
}

void PcapngWriter::putOption(Bytes& b, std::uint16_t code, ByteView value) const {
  put16(b, code);
  put16(b, static_cast<std::uint16_t>(value.size()));
  b.insert(b.end(), value.begin(), value.end());
  pad4(b);
}

void PcapngWriter::writeBlock(std::uint32_t type, ByteView body) {
  Bytes block;
  std::uint32_t length = static_cast<std::uint32_t>(12 + ((body.size() + 3) & ~std::size_t{3}));
  put32(block, type);
  put32(block, length);
  block.insert(block.end(), body.begin(), body.end());
  pad4(block);
  put32(block, length);
  write(out_, block);
}

std::uint32_t PcapngWriter::addInterface(int linkType, std::uint32_t snaplen, std::string_view name) {
  Bytes body;
  put16(body, static_cast<std::uint16_t>(linkType));
  put16(body, 0);  // reserved
  put32(body, snaplen);
  if (!name.empty()) putOption(body, kOptIfName, asBytes(name));
  const std::uint8_t nanoseconds = 9;  // if_tsresol: 10^-9 s
  putOption(body, kOptIfTsresol, ByteView(&nanoseconds, 1));
  putOption(body, kOptEnd, {});
  writeBlock(pcapng::kInterfaceDescription, body);
  return interfaces_++;
}

void PcapngWriter::writePacket(std::uint32_t interfaceId, Timestamp time, ByteView data,
                               std::uint32_t originalLength) {
  Bytes body;
  auto ts = static_cast<std::uint64_t>(time.nanos);
  put32(body, interfaceId);
  put32(body, static_cast<std::uint32_t>(ts >> 32));
  put32(body, static_cast<std::uint32_t>(ts));
  put32(body, static_cast<std::uint32_t>(data.size()));
  put32(body, originalLength != 0 ? originalLength : static_cast<std::uint32_t>(data.size()));
  body.insert(body.end(), data.begin(), data.end());
  pad4(body);
  writeBlock(pcapng::kEnhancedPacket, body);
}

void PcapngWriter::writeSecrets(std::uint32_t secretsType, std::string_view data) {
  Bytes body;
  put32(body, secretsType);
  put32(body, static_cast<std::uint32_t>(data.size()));
  auto bytes = asBytes(data);
  body.insert(body.end(), bytes.begin(), bytes.end());
  pad4(body);
  writeBlock(pcapng::kDecryptionSecrets, body);
}

PcapWriter::PcapWriter(std::ostream& out, int linkType, std::uint32_t snaplen, bool nanoseconds, bool bigEndian)
    : out_(out), nanoseconds_(nanoseconds), bigEndian_(bigEndian) {
  Bytes header;
  put32(header, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4);
  // Version 2.4 as two u16 fields in the file's byte order.
  header.push_back(static_cast<std::uint8_t>(bigEndian ? 0 : 2));
  header.push_back(static_cast<std::uint8_t>(bigEndian ? 2 : 0));
  header.push_back(static_cast<std::uint8_t>(bigEndian ? 0 : 4));
  header.push_back(static_cast<std::uint8_t>(bigEndian ? 4 : 0));
  put32(header, 0);  // reserved (thiszone)
  put32(header, 0);  // reserved (sigfigs)
  put32(header, snaplen);
  put32(header, static_cast<std::uint32_t>(linkType));
  write(out_, header);
}

void PcapWriter::put32(Bytes& b, std::uint32_t v) const {
  for (int i = 0; i < 4; ++i) {
    int shift = bigEndian_ ? (3 - i) * 8 : i * 8;
    b.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void PcapWriter::writePacket(Timestamp time, ByteView data, std::uint32_t originalLength) {
  Bytes record;
  std::int64_t divisor = nanoseconds_ ? 1 : 1000;
  put32(record, static_cast<std::uint32_t>(time.nanos / 1'000'000'000));
  put32(record, static_cast<std::uint32_t>((time.nanos % 1'000'000'000) / divisor));
  put32(record, static_cast<std::uint32_t>(data.size()));
  put32(record, originalLength != 0 ? originalLength : static_cast<std::uint32_t>(data.size()));
  record.insert(record.end(), data.begin(), data.end());
  write(out_, record);
}

}  // namespace tlslab::capture
