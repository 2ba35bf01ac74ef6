// Capture files through libpcap. Before libpcap sees a file we check what it
// is, so the common mistakes get a plain answer instead of libpcap's terse one:
// an empty file, a text file renamed .pcap, a truncated header, gzip without zlib.
#include <fcntl.h>
#include <fmt/format.h>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <cstring>
#include <system_error>

#include "Diagnostics.hpp"
#include "PcapngReader.hpp"
#include "tlslab/capture/Source.hpp"

#ifdef TLSLAB_HAVE_ZLIB
#include <zlib.h>
#endif

namespace tlslab::capture {

using detail::makeDiagnostic;
using model::Severity;

namespace {

constexpr std::size_t kPcapHeader = 24;   // draft-ietf-opsawg-pcap §4 file header
constexpr std::size_t kPcapngMinimum = 28;  // smallest Section Header Block
constexpr std::uint64_t kProgressEveryFrames = 4096;
constexpr std::size_t kReadBuffer = 256u << 10;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

#ifdef TLSLAB_HAVE_ZLIB
// A stdio stream over a gzip file (glibc fopencookie), so libpcap's
// pcap_fopen_offline reads compressed captures transparently.
ssize_t gzRead(void* cookie, char* buffer, size_t size) {
  int n = gzread(static_cast<gzFile>(cookie), buffer, static_cast<unsigned>(std::min<size_t>(size, 1u << 30)));
  return n < 0 ? -1 : n;
}
int gzSeek(void* cookie, off64_t* position, int whence) {
  if (whence == SEEK_END) return -1;  // gzip streams have no cheap end
  z_off_t result = gzseek(static_cast<gzFile>(cookie), static_cast<z_off_t>(*position), whence);
  if (result < 0) return -1;
  *position = result;
  return 0;
}
int gzCloseCookie(void* cookie) { return gzclose(static_cast<gzFile>(cookie)) == Z_OK ? 0 : -1; }

std::FILE* openGzip(const std::filesystem::path& path, void** handle) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) return nullptr;
  if (handle != nullptr) *handle = gz;
  cookie_io_functions_t functions{gzRead, nullptr, gzSeek, gzCloseCookie};
  std::FILE* file = fopencookie(gz, "rb", functions);
  if (file == nullptr) gzclose(gz);
  return file;
}
#endif

// Reopens the same input from its start (the pcapng walk and libpcap each need a stream).
struct Opener {
  std::filesystem::path path;
  bool gzip = false;
  std::shared_ptr<Bytes> memory;
  // `gzHandle` receives the zlib handle behind a gzip stream (for its compressed offset).
  std::FILE* open(void** gzHandle = nullptr) const {
    if (memory) return fmemopen(memory->data(), memory->size(), "rb");
#ifdef TLSLAB_HAVE_ZLIB
    if (gzip) return openGzip(path, gzHandle);
#else
    (void)gzHandle;
#endif
    return std::fopen(path.c_str(), "rb");
  }
};

// The pcapng walk before libpcap looks only at each block's header and
// trailer, but through stdio it paid an lseek and a 4 KiB read per block (the
// whole file read a second time). A plain file is walked through a sliding
// read-only mapping instead: no system call per block, and at most one
// window of the file resident at a time (peak memory stays bounded).
class MappedWalk {
 public:
  static constexpr std::size_t kWindow = 8u << 20;

  static std::FILE* open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return nullptr;
    }
    auto* walk = new MappedWalk(fd, static_cast<std::uint64_t>(st.st_size));
    cookie_io_functions_t functions{read, nullptr, seek, close};
    std::FILE* file = fopencookie(walk, "rb", functions);
    if (file == nullptr) close(walk);
    else std::setvbuf(file, walk->buffer_, _IOFBF, sizeof walk->buffer_);  // a header, or a trailer + the next header
    return file;
  }

 private:
  MappedWalk(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

  static ssize_t read(void* cookie, char* out, size_t n) {
    auto* w = static_cast<MappedWalk*>(cookie);
    std::size_t done = 0;
    while (done < n && w->at_ < w->size_) {
      if (!w->cover(w->at_)) return done > 0 ? static_cast<ssize_t>(done) : -1;
      const std::uint64_t inWindow = w->base_ + w->length_ - w->at_;
      const auto step = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, inWindow));
      std::memcpy(out + done, w->map_ + (w->at_ - w->base_), step);
      done += step;
      w->at_ += step;
    }
    return static_cast<ssize_t>(done);
  }
  static int seek(void* cookie, off64_t* position, int whence) {
    auto* w = static_cast<MappedWalk*>(cookie);
    const std::int64_t base = whence == SEEK_CUR ? static_cast<std::int64_t>(w->at_)
                              : whence == SEEK_END ? static_cast<std::int64_t>(w->size_) : 0;
    if (base + *position < 0) return -1;
    w->at_ = static_cast<std::uint64_t>(base + *position);
    *position = static_cast<off64_t>(w->at_);
    return 0;
  }
  static int close(void* cookie) {
    auto* w = static_cast<MappedWalk*>(cookie);
    if (w->map_ != nullptr) ::munmap(w->map_, w->length_);
    int rc = ::close(w->fd_);
    delete w;
    return rc;
  }
  // Maps the window holding file offset `at` (windows start on their own
  // size, a multiple of the page size).
  bool cover(std::uint64_t at) {
    if (map_ != nullptr && at >= base_ && at < base_ + length_) return true;
    if (map_ != nullptr) ::munmap(map_, length_);
    map_ = nullptr;
    base_ = at - at % kWindow;
    length_ = static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, size_ - base_));
    void* m = ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE, fd_, static_cast<off_t>(base_));
    if (m == MAP_FAILED) return false;
    map_ = static_cast<char*>(m);
    return true;
  }

  int fd_;
  std::uint64_t size_;
  std::uint64_t at_ = 0;
  std::uint64_t base_ = 0;
  std::size_t length_ = 0;
  char* map_ = nullptr;
  char buffer_[64];
};

std::string describeMagic(const std::uint8_t* p, std::size_t n) {
  std::string hex, text;
  for (std::size_t i = 0; i < n; ++i) {
    hex += fmt::format("{:02x}", p[i]);
    text += (p[i] >= 0x20 && p[i] < 0x7F) ? static_cast<char>(p[i]) : '.';
  }
  return fmt::format("{} (\"{}\")", hex, text);
}

}  // namespace

struct CaptureFile::Impl {
  FileInfo info;
  Opener opener;
  std::unique_ptr<char[]> readBuffer;  // the stream's; declared first so it outlives the stream
  std::unique_ptr<pcap_t, PcapCloser> pcap;
  std::unique_ptr<detail::PcapngPacketReader> native;
  std::FILE* stream = nullptr;  // owned by pcap or native; for the read position
  void* gz = nullptr;           // zlib handle behind a gzip stream
  std::string error;
  std::uint64_t frames = 0;
  std::vector<SecretsBlock> secrets;
  std::vector<CaptureDiagnostic> blockDiagnostics;
};

CaptureFile::CaptureFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaptureFile::~CaptureFile() = default;
const FileInfo& CaptureFile::info() const { return impl_->info; }
const std::string& CaptureFile::error() const { return impl_->error; }
std::uint64_t CaptureFile::framesRead() const { return impl_->frames; }
const std::vector<SecretsBlock>& CaptureFile::secrets() const { return impl_->secrets; }
const std::vector<CaptureDiagnostic>& CaptureFile::blockDiagnostics() const { return impl_->blockDiagnostics; }

std::uint64_t CaptureFile::position() const {
  if (!impl_->pcap && !impl_->native) return impl_->info.sizeOnDisk;  // finished or stopped
#ifdef TLSLAB_HAVE_ZLIB
  if (impl_->gz != nullptr) return static_cast<std::uint64_t>(gzoffset(static_cast<gzFile>(impl_->gz)));
#endif
  long at = impl_->stream != nullptr ? std::ftell(impl_->stream) : -1;
  return at < 0 ? 0 : static_cast<std::uint64_t>(at);
}

namespace {

// Identifies the format from the first bytes of the (decompressed) stream.
Result<FileFormat> identify(const Opener& opener, const std::string& name, bool gzip) {
  FilePtr file(opener.open());
  if (!file) return CaptureError{"cannot read capture '" + name + "'", std::strerror(errno)};
  std::uint8_t head[32] = {};  // enough for either file header
  std::size_t got = std::fread(head, 1, sizeof head, file.get());
  const char* after = gzip ? " after gzip decompression" : "";
  if (got == 0) {
    return CaptureError{"cannot read capture '" + name + "'",
                        fmt::format("empty file (0 bytes{}): not a pcap or pcapng capture", after)};
  }
  auto magicIs = [&](std::uint32_t magic) {
    if (got < 4) return false;
    std::uint32_t be = std::uint32_t{head[0]} << 24 | std::uint32_t{head[1]} << 16 | std::uint32_t{head[2]} << 8 | head[3];
    std::uint32_t le = std::uint32_t{head[3]} << 24 | std::uint32_t{head[2]} << 16 | std::uint32_t{head[1]} << 8 | head[0];
    return be == magic || le == magic;
  };
  if (magicIs(0xA1B2C3D4) || magicIs(0xA1B23C4D)) {
    if (got < kPcapHeader) {
      return CaptureError{"cannot read capture '" + name + "'",
                          fmt::format("truncated pcap file header: {} of {} bytes", got, kPcapHeader)};
    }
    return FileFormat::Pcap;
  }
  if (magicIs(pcapng::kSectionHeader)) {
    if (got < kPcapngMinimum) {
      return CaptureError{"cannot read capture '" + name + "'",
                          fmt::format("truncated pcapng Section Header Block: {} of at least {} bytes", got,
                                      kPcapngMinimum)};
    }
    return FileFormat::Pcapng;
  }
  if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B) {
    return CaptureError{"cannot read capture '" + name + "'", "gzip inside gzip is not supported"};
  }
  return CaptureError{"cannot read capture '" + name + "'",
                      fmt::format("not a pcap or pcapng file{}: it starts with {}; a capture starts with "
                                  "a1b2c3d4/a1b23c4d (pcap, either byte order) or 0a0d0d0a (pcapng)",
                                  after, describeMagic(head, std::min<std::size_t>(got, 8)))};
}

Result<std::unique_ptr<CaptureFile>> openWith(Opener opener, const std::string& name, FileInfo info,
                                              auto make) {
  auto format = identify(opener, name, info.gzip);
  if (!format) return format.error();
  info.format = format.value();
  auto impl = std::make_unique<CaptureFile::Impl>();
  bool mixedInterfaces = false;
  if (info.format == FileFormat::Pcapng) {
    FilePtr walk(!opener.gzip && !opener.memory ? MappedWalk::open(opener.path) : nullptr);
    if (!walk) walk.reset(opener.open());
    if (walk) {
      PcapngScan scan = scanPcapng(walk.get(), [&](const SecretsBlock& b) { impl->secrets.push_back(b); });
      impl->blockDiagnostics = std::move(scan.diagnostics);
      auto differs = [](const auto& v) { return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) != v.end(); };
      mixedInterfaces = differs(scan.linkTypes) || differs(scan.snaplens);
      if (!scan.linkTypes.empty()) info.linkType = scan.linkTypes.front();
      if (!scan.snaplens.empty()) info.snaplen = scan.snaplens.front();
    }
  }
  std::FILE* stream = opener.open(&impl->gz);
  if (stream == nullptr) return CaptureError{"cannot read capture '" + name + "'", std::strerror(errno)};
  // libpcap freads one block at a time; with the default 4 KiB buffer that
  // was a read system call per packet.
  impl->readBuffer = std::make_unique<char[]>(kReadBuffer);
  std::setvbuf(stream, impl->readBuffer.get(), _IOFBF, kReadBuffer);
  impl->stream = stream;
  if (mixedInterfaces) {
    impl->native = std::make_unique<detail::PcapngPacketReader>(stream);
    info.viaLibpcap = false;
    impl->info = info;
    impl->opener = std::move(opener);
    return make(std::move(impl));
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // pcap_fopen_offline takes ownership of the stream (pcap_close closes it).
  pcap_t* pcap = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (pcap == nullptr) {
    std::fclose(stream);
    std::string why = errbuf;
    if (!impl->blockDiagnostics.empty()) why += " (" + impl->blockDiagnostics.front().diagnostic.message + ")";
    return CaptureError{"cannot read capture '" + name + "'", "libpcap: " + why};
  }
  impl->pcap.reset(pcap);
  info.linkType = pcap_datalink(pcap);
  info.snaplen = static_cast<std::uint32_t>(pcap_snapshot(pcap));
  impl->info = info;
  impl->opener = std::move(opener);
  return make(std::move(impl));
}

}  // namespace

Result<std::unique_ptr<CaptureFile>> CaptureFile::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  const std::string what = "cannot read capture '" + name + "'";
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return CaptureError{what, "no such file"};
  if (std::filesystem::is_directory(status)) return CaptureError{what, "it is a directory"};
  FileInfo info;
  info.sizeOnDisk = std::filesystem::file_size(path, ec);
  FilePtr probe(std::fopen(path.c_str(), "rb"));
  if (!probe) return CaptureError{what, std::strerror(errno)};
  std::uint8_t magic[2] = {};
  if (std::fread(magic, 1, 2, probe.get()) == 2 && magic[0] == 0x1F && magic[1] == 0x8B) info.gzip = true;
  probe.reset();
#ifndef TLSLAB_HAVE_ZLIB
  if (info.gzip) return CaptureError{what, "gzip-compressed, and this build has no zlib: gunzip it first"};
#endif
  Opener opener{path, info.gzip, nullptr};
  return openWith(std::move(opener), name, info, [](std::unique_ptr<Impl> impl) {
    return Result<std::unique_ptr<CaptureFile>>(std::unique_ptr<CaptureFile>(new CaptureFile(std::move(impl))));
  });
}

Result<std::unique_ptr<CaptureFile>> CaptureFile::openMemory(ByteView bytes) {
  if (bytes.empty()) return CaptureError{"cannot read capture from memory", "empty input (0 bytes)"};
  Opener opener{{}, false, std::make_shared<Bytes>(bytes.begin(), bytes.end())};
  return openWith(std::move(opener), "<memory>", FileInfo{}, [](std::unique_ptr<Impl> impl) {
    return Result<std::unique_ptr<CaptureFile>>(std::unique_ptr<CaptureFile>(new CaptureFile(std::move(impl))));
  });
}

CaptureFile::Status CaptureFile::next(RawPacket& packet) {
  if (impl_->native) {
    Status status = impl_->native->next(packet);
    if (status == Status::Packet) impl_->frames = packet.frame;
    if (status == Status::Error) {
      impl_->error = fmt::format("reading stopped after frame {}: {}", impl_->frames, impl_->native->error());
      impl_->native.reset();
    }
    return status;
  }
  if (!impl_->pcap) return Status::End;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc = pcap_next_ex(impl_->pcap.get(), &header, &data);
  switch (rc) {
    case 1:
      packet.linkType = pcap_datalink(impl_->pcap.get());
      // At nanosecond precision libpcap stores nanoseconds in tv_usec.
      packet.time = Timestamp::fromParts(header->ts.tv_sec, header->ts.tv_usec);
      packet.frame = ++impl_->frames;
      packet.data = ByteView(data, header->caplen);
      packet.originalLength = header->len;
      return Status::Packet;
    case PCAP_ERROR_BREAK:
      return Status::End;
    case PCAP_ERROR:
    default: {
      impl_->error = fmt::format("reading stopped after frame {}: {}", impl_->frames,
                                 pcap_geterr(impl_->pcap.get()));
      impl_->pcap.reset();
      return Status::Error;
    }
  }
}

namespace {

Result<ReadSummary> runFile(Result<std::unique_ptr<CaptureFile>> opened, StreamSink& sink,
                            ProcessorOptions options, const ProgressCallback& progress) {
  if (!opened) return opened.error();
  CaptureFile& file = *opened.value();
  ReadSummary summary;
  summary.file = file.info();
  for (const CaptureDiagnostic& d : file.blockDiagnostics()) sink.onDiagnostic(d);
  for (const SecretsBlock& block : file.secrets()) {
    summary.secretsBlocks++;
    if (block.secretsType == pcapng::kSecretsTls) sink.onKeyLog(block.data, block.fileOffset);
  }
  CaptureProcessor processor(sink, options);
  RawPacket packet;
  CaptureFile::Status status;
  auto report = [&] {
    if (!progress) return true;
    ReadProgress p{file.framesRead(), file.position(), file.info().sizeOnDisk, processor.stats().connections};
    return progress(p);
  };
  bool cancelled = false;
  while ((status = file.next(packet)) == CaptureFile::Status::Packet) {
    processor.processPacket(packet);
    if (packet.frame % kProgressEveryFrames == 0 && !report()) {
      cancelled = true;
      break;
    }
  }
  if (cancelled) {
    summary.complete = false;
    summary.stopReason = fmt::format("cancelled after frame {}", file.framesRead());
  } else if (status == CaptureFile::Status::Error) {
    summary.complete = false;
    summary.stopReason = file.error();
    sink.onDiagnostic(makeDiagnostic(model::DiagnosticCode::CaptureFile, Severity::Error, "capture file", file.error(), file.framesRead()));
  }
  processor.finish();
  summary.stats = processor.stats();
  if (!cancelled) report();
  return summary;
}

}  // namespace

Result<ReadSummary> readCapture(const std::filesystem::path& path, StreamSink& sink, ProcessorOptions options,
                                const ProgressCallback& progress) {
  return runFile(CaptureFile::open(path), sink, options, progress);
}

Result<ReadSummary> readCapture(ByteView bytes, StreamSink& sink, ProcessorOptions options,
                                const ProgressCallback& progress) {
  return runFile(CaptureFile::openMemory(bytes), sink, options, progress);
}

}  // namespace tlslab::capture
