#pragma once
// pcapng block structure (draft-ietf-opsawg-pcapng, "PCAP Next Generation
// Capture File Format"): a reader for Decryption Secrets Blocks, which libpcap
// does not expose, and writers for pcapng and classic pcap files.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/capture/Types.hpp"
#include "tlslab/util/ByteWriter.hpp"

namespace tlslab::capture {

namespace pcapng {
inline constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
inline constexpr std::uint32_t kInterfaceDescription = 0x00000001;
inline constexpr std::uint32_t kEnhancedPacket = 0x00000006;
inline constexpr std::uint32_t kDecryptionSecrets = 0x0000000A;
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
inline constexpr std::uint32_t kSecretsTls = 0x544C534B;  // "TLSK": NSS key log text
}  // namespace pcapng

struct SecretsBlock {
  std::uint32_t secretsType = 0;
  std::string data;             // for TLSK: key log lines, as stored
  std::uint64_t fileOffset = 0; // where the block starts
};

struct PcapngScan {
  std::size_t sections = 0;
  std::size_t interfaces = 0;
  std::size_t packets = 0;
  std::size_t secretsBlocks = 0;
  std::vector<int> linkTypes;           // per Interface Description Block, in file order
  std::vector<std::uint32_t> snaplens;  // idem
  bool complete = false;  // the block structure was intact up to the end of the file
  std::vector<CaptureDiagnostic> diagnostics;
};

// Walks every block of a pcapng stream (both byte orders, several sections),
// handing each Decryption Secrets Block to `onSecrets`. Corrupt block lengths
// stop the walk with an Error diagnostic naming the block's file offset.
PcapngScan scanPcapng(std::FILE* file, const std::function<void(const SecretsBlock&)>& onSecrets);
PcapngScan scanPcapng(ByteView bytes, const std::function<void(const SecretsBlock&)>& onSecrets);

// Writes a pcapng file: one section, interfaces with nanosecond timestamps,
// Enhanced Packet Blocks and Decryption Secrets Blocks.
class PcapngWriter {
 public:
  // Writes the Section Header Block at once. `bigEndian` writes the whole
  // section in big-endian order (readers must honour the byte-order magic).
  explicit PcapngWriter(std::ostream& out, bool bigEndian = false, std::string_view application = "tlslab");

  // Returns the interface id for writePacket.
  std::uint32_t addInterface(int linkType, std::uint32_t snaplen = 262144, std::string_view name = {});
  void writePacket(std::uint32_t interfaceId, Timestamp time, ByteView data, std::uint32_t originalLength = 0);
  void writeSecrets(std::uint32_t secretsType, std::string_view data);
  void writeKeyLog(std::string_view keyLogText) { writeSecrets(pcapng::kSecretsTls, keyLogText); }
  // Any block with an arbitrary type and body (tests use it to build odd files).
  void writeBlock(std::uint32_t type, ByteView body);
  bool ok() const { return static_cast<bool>(out_); }

 private:
  ByteWriter writer() const;

  std::ostream& out_;
  bool bigEndian_;
  std::uint32_t interfaces_ = 0;
};

// Writes a classic libpcap file (one link type).
class PcapWriter {
 public:
  PcapWriter(std::ostream& out, int linkType, std::uint32_t snaplen = 262144, bool nanoseconds = true,
             bool bigEndian = false);
  void writePacket(Timestamp time, ByteView data, std::uint32_t originalLength = 0);
  bool ok() const { return static_cast<bool>(out_); }

 private:
  std::ostream& out_;
  bool nanoseconds_;
  bool bigEndian_;
};

}  // namespace tlslab::capture
