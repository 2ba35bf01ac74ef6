#pragma once
// `tlslab capture -w FILE`: the packets on disk as they arrive, the pcapng put
// together at the end. The secrets block has to come before the packets it
// decrypts (tlslab and Wireshark read a file in order), and the secrets are
// complete only when the capture ends (endpoints log TLS 1.3 secrets after
// the records they protect), so the packets wait in an unlinked spool file
// in the output's directory: memory stays flat however long the capture runs.
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"

namespace tlslab::cli {

class PacketSpool {
 public:
  // Creates `output` (so a bad path fails before the capture starts) and the
  // spool beside it; `error` says why not.
  static std::unique_ptr<PacketSpool> open(const std::string& output, std::string interface, std::string& error);

  void add(const capture::RawPacket& packet);
  std::uint64_t packets() const { return packets_; }
  // Writes `output`: header, the first interface, the secrets (if any), then
  // the spooled packets. Empty, or why the file could not be written.
  std::string finish(const std::string& keyLog);

 private:
  PacketSpool() = default;

  std::string output_, interface_;
  std::ofstream out_;
  std::unique_ptr<std::fstream> spool_;
  std::unique_ptr<capture::PcapngWriter> spoolWriter_;
  std::map<int, std::uint32_t> interfaces_;  // link type -> interface id (same in both files)
  int firstLinkType_ = 0;
  std::streamoff bodyStart_ = 0;  // the spool after its header and first interface
  std::uint64_t packets_ = 0;
};

}  // namespace tlslab::cli
