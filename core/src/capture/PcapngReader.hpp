#pragma once
// Native pcapng packet reader, used when libpcap cannot read a file because
// its interfaces differ in link type or snaplen (libpcap 1.10 requires one of each).
#include <cstdio>
#include <string>
#include <vector>

#include "PcapngBlocks.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/Source.hpp"

namespace tlslab::capture::detail {

struct PcapngInterface {
  int linkType = 0;
  std::uint32_t snaplen = 0;
  std::uint8_t tsresol = 6;  // default: microseconds (§4.2 if_tsresol)
  std::int64_t tsoffsetSeconds = 0;
  std::int64_t toNanos(std::uint64_t units) const;
};

class PcapngPacketReader {
 public:
  explicit PcapngPacketReader(std::FILE* file);  // takes ownership
  ~PcapngPacketReader();
  PcapngPacketReader(const PcapngPacketReader&) = delete;
  PcapngPacketReader& operator=(const PcapngPacketReader&) = delete;

  CaptureFile::Status next(RawPacket& packet);
  const std::string& error() const { return error_; }

 private:
  std::FILE* file_;
  PcapngBlocks blocks_;
  std::vector<PcapngInterface> interfaces_;
  std::vector<std::uint8_t> current_;
  std::uint64_t frames_ = 0;
  std::string error_;
};

}  // namespace tlslab::capture::detail
