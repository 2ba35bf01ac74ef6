#pragma once
// Packet sources through libpcap: capture files (pcap, pcapng, gzip-compressed
// either) and live interfaces. readCapture() is the one-call pipeline a CLI or
// the GUI uses: secrets first, then every frame through a CaptureProcessor.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/capture/CaptureProcessor.hpp"
#include "tlslab/capture/Decode.hpp"
#include "tlslab/capture/Pcapng.hpp"
#include "tlslab/capture/StreamSink.hpp"

namespace tlslab::capture {

enum class FileFormat { Pcap, Pcapng };

struct FileInfo {
  FileFormat format = FileFormat::Pcap;
  bool gzip = false;
  int linkType = 0;              // of the first interface (libpcap needs all to match)
  std::uint32_t snaplen = 0;
  std::uint64_t sizeOnDisk = 0;  // 0 for memory input
  // false when packets come from tlslab's own pcapng reader: libpcap 1.10
  // refuses pcapng files whose interfaces differ in link type or snaplen.
  bool viaLibpcap = true;
};

// A capture file opened through libpcap (pcap_fopen_offline), timestamps at
// nanosecond precision.
class CaptureFile {
 public:
  static Result<std::unique_ptr<CaptureFile>> open(const std::filesystem::path& path);
  // The bytes are copied; gzip is not supported for memory input.
  static Result<std::unique_ptr<CaptureFile>> openMemory(ByteView bytes);
  ~CaptureFile();
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  const FileInfo& info() const;
  enum class Status { Packet, End, Error };
  // The next frame; its data is valid until the next call. On Error, error()
  // says what libpcap reported (e.g. a truncated record) and where.
  Status next(RawPacket& packet);
  const std::string& error() const;
  std::uint64_t framesRead() const;
  // Decryption Secrets Blocks of a pcapng file (none for pcap), read on open.
  const std::vector<SecretsBlock>& secrets() const;
  // Findings of the pcapng block walk (corrupt lengths etc.).
  const std::vector<CaptureDiagnostic>& blockDiagnostics() const;
  // Bytes of the file consumed so far (compressed bytes for gzip), for progress
  // against info().sizeOnDisk.
  std::uint64_t position() const;

  struct Impl;  // implementation detail (libpcap handle, reopenable input)

 private:
  explicit CaptureFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct ReadSummary {
  FileInfo file;
  ProcessorStats stats;
  std::size_t secretsBlocks = 0;
  bool complete = true;    // false when reading stopped early (a truncated or corrupt file)
  std::string stopReason;  // why, when !complete
};

struct ReadProgress {
  std::uint64_t frames = 0;
  std::uint64_t position = 0;    // bytes of the file read (compressed bytes for gzip)
  std::uint64_t total = 0;       // file size on disk; 0 for memory input
  std::uint64_t connections = 0;
};
// Called every 4096 frames and once at the end; return false to stop reading
// (the summary then says "cancelled", complete == false).
using ProgressCallback = std::function<bool(const ReadProgress&)>;

// Opens `path`, hands its key logs to sink.onKeyLog, then every frame through a
// CaptureProcessor into `sink`, and finishes the processor. An error result
// means the file could not be read at all (the CLI exits non-zero); a file
// that breaks off midway gives a summary with complete == false and an Error
// diagnostic.
Result<ReadSummary> readCapture(const std::filesystem::path& path, StreamSink& sink,
                                ProcessorOptions options = {}, const ProgressCallback& progress = {});
Result<ReadSummary> readCapture(ByteView bytes, StreamSink& sink, ProcessorOptions options = {},
                                const ProgressCallback& progress = {});

// --- live capture ---------------------------------------------------------

struct DeviceInfo {
  std::string name;
  std::string description;
  bool loopback = false;
  bool up = false;
  bool running = false;
  std::vector<std::string> addresses;
};
Result<std::vector<DeviceInfo>> listDevices();

struct LiveOptions {
  std::string interface;       // e.g. "lo"
  std::string filter;          // BPF, e.g. "tcp port 4433"; empty = everything
  int snaplen = 262144;
  bool promiscuous = false;
  int bufferTimeoutMs = 100;   // how often run() checks its stop conditions
  std::uint64_t maxPackets = 0;  // 0 = no limit
  double maxSeconds = 0;         // 0 = no limit
  // The kernel's packet ring (pcap_set_buffer_size). Packets are packed into it
  // back to back, so 32 MiB absorbs tens of thousands of packets of a burst while
  // the dissector is busy; libpcap's default of 2 MiB drops them.
  int bufferBytes = 32 << 20;
};

struct LiveStats {
  std::uint64_t packets = 0;
  std::uint64_t droppedByKernel = 0;
  std::uint64_t droppedByInterface = 0;
  int bufferBytes = 0;           // the ring size asked for, for the drop warning
  std::string stoppedBecause;  // "packet limit", "time limit", "stop requested"
};

// Empty when nothing was lost; otherwise what was dropped, what it means for the
// dissection and how to avoid it: `remedy` is the advice in the caller's own
// terms (the CLI has --buffer-size, the GUI a filter field).
inline constexpr const char* kCliDropRemedy = "capture with a bigger buffer (--buffer-size) or a narrower filter";
std::string dropWarning(const LiveStats& stats, std::string_view remedy = kCliDropRemedy);

class LiveCapture {
 public:
  // pcap_create + pcap_activate + pcap_setfilter. Without permission the error
  // says that root or CAP_NET_RAW is needed.
  static Result<std::unique_ptr<LiveCapture>> open(const LiveOptions& options);
  ~LiveCapture();
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  int linkType() const;
  // Blocks, calling onPacket for each frame, until a limit is reached or stop().
  Result<LiveStats> run(const std::function<void(const RawPacket&)>& onPacket);
  // Safe from any thread (and from onPacket): run() returns soon after.
  void stop();

 private:
  struct Impl;
  explicit LiveCapture(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlslab::capture
