// pcapng (draft-ietf-opsawg-pcapng §4) and classic pcap (draft-ietf-opsawg-pcap §4) writers.
// Both file formats are in the writer's byte order (little-endian unless asked), so
// every field goes through a ByteWriter in that order.
#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::capture {

namespace {

void write(std::ostream& out, const Bytes& b) {
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
ByteOrder orderOf(bool bigEndian) { return bigEndian ? ByteOrder::Big : ByteOrder::Little; }

constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptShbUserAppl = 4;
constexpr std::uint16_t kOptIfName = 2;
constexpr std::uint16_t kOptIfTsresol = 9;

// An option is code, length of the value (not of its padding), value, padding (§3.5).
void option(ByteWriter& w, std::uint16_t code, ByteView value) {
  w.u16(code);
  w.prefixed(2, [&] { w.bytes(value); });
  w.padTo(4);
}

}  // namespace

PcapngWriter::PcapngWriter(std::ostream& out, bool bigEndian, std::string_view application)
    : out_(out), bigEndian_(bigEndian) {
  ByteWriter body = writer();
  body.u32(pcapng::kByteOrderMagic).u16(1).u16(0);  // version 1.0
  body.u64(~std::uint64_t{0});                         // section length -1: not specified
  if (!application.empty()) option(body, kOptShbUserAppl, asBytes(application));
  option(body, kOptEnd, {});
  writeBlock(pcapng::kSectionHeader, body.view());
}

ByteWriter PcapngWriter::writer() const { return ByteWriter(orderOf(bigEndian_)); }

void PcapngWriter::writeBlock(std::uint32_t type, ByteView body) {
  // The total length opens and closes the block (§3.1), so it is not a prefix.
  const std::size_t length = 12 + ((body.size() + 3) & ~std::size_t{3});
  ByteWriter block = writer();
  block.u32(type).u32(length).bytes(body).padTo(4).u32(length);
  write(out_, std::move(block).take());
}

std::uint32_t PcapngWriter::addInterface(int linkType, std::uint32_t snaplen, std::string_view name) {
  ByteWriter body = writer();
  body.u16(static_cast<std::uint16_t>(linkType)).u16(0).u32(snaplen);  // 0: reserved
  if (!name.empty()) option(body, kOptIfName, asBytes(name));
  const std::uint8_t nanoseconds = 9;  // if_tsresol: 10^-9 s
  option(body, kOptIfTsresol, ByteView(&nanoseconds, 1));
  option(body, kOptEnd, {});
  writeBlock(pcapng::kInterfaceDescription, body.view());
  return interfaces_++;
}

void PcapngWriter::writePacket(std::uint32_t interfaceId, Timestamp time, ByteView data,
                               std::uint32_t originalLength) {
  ByteWriter body = writer();
  auto ts = static_cast<std::uint64_t>(time.nanos);
  body.u32(interfaceId).u32(ts >> 32).u32(ts & 0xFFFFFFFF);
  body.u32(data.size()).u32(originalLength != 0 ? originalLength : data.size());
  body.bytes(data).padTo(4);
  writeBlock(pcapng::kEnhancedPacket, body.view());
}

void PcapngWriter::writeSecrets(std::uint32_t secretsType, std::string_view data) {
  ByteWriter body = writer();
  body.u32(secretsType);
  body.prefixed(4, [&] { body.text(data); });
  body.padTo(4);
  writeBlock(pcapng::kDecryptionSecrets, body.view());
}

PcapWriter::PcapWriter(std::ostream& out, int linkType, std::uint32_t snaplen, bool nanoseconds, bool bigEndian)
    : out_(out), nanoseconds_(nanoseconds), bigEndian_(bigEndian) {
  ByteWriter header(orderOf(bigEndian));
  header.u32(nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4);
  header.u16(2).u16(4);      // version 2.4
  header.u32(0).u32(0);      // reserved (thiszone, sigfigs)
  header.u32(snaplen).u32(static_cast<std::uint32_t>(linkType));
  write(out_, std::move(header).take());
}

void PcapWriter::writePacket(Timestamp time, ByteView data, std::uint32_t originalLength) {
  ByteWriter record(orderOf(bigEndian_));
  std::int64_t divisor = nanoseconds_ ? 1 : 1000;
  record.u32(static_cast<std::uint32_t>(time.nanos / 1'000'000'000));
  record.u32(static_cast<std::uint32_t>((time.nanos % 1'000'000'000) / divisor));
  record.u32(data.size()).u32(originalLength != 0 ? originalLength : data.size());
  record.bytes(data);
  write(out_, std::move(record).take());
}

}  // namespace tlslab::capture
