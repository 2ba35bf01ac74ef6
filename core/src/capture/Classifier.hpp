#pragma once
// Decides, per direction of a connection, what the reassembled bytes are:
// TLS from the first byte, a STARTTLS protocol's plaintext followed by TLS, or
// unknown. It sits between TcpStream and the StreamSink and may hold a few
// bytes (up to a record header) or, after a client's STARTTLS command, the
// client's bytes until the server's reply decides the upgrade.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/capture/StreamSink.hpp"

namespace tlslab::capture::detail {

class StreamClassifier {
 public:
  StreamClassifier(StreamSink& sink, ConnectionInfo& info, std::size_t maxPlaintextScan)
      : sink_(sink), info_(info), maxScan_(maxPlaintextScan) {}

  void bytes(Direction dir, std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame,
             bool afterGap);
  void gap(Direction dir);
  // End of the connection: release anything held.
  void flush();

 private:
  enum class Mode { Detect, Tls, Plain, Held, Unknown };
  struct Held {
    std::uint64_t offset = 0;
    Bytes data;
    Timestamp time;
    std::uint64_t frame = 0;
    bool afterGap = false;
  };
  struct Upgrade {
    std::string protocol;
    std::string imapTag;
    std::uint64_t clientTlsOffset = 0;
  };
  struct Side {
    Mode mode = Mode::Detect;
    std::vector<Held> held;  // probe bytes (Detect) or post-command bytes (Held)
    std::size_t heldBytes = 0;
    std::string line;        // the current, incomplete plaintext line (capped)
    std::size_t scanned = 0;
    bool resync = false;  // the start was missed: look for a record header at each chunk
  };

  void emit(Direction dir, std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame,
            bool afterGap, Content content);
  void hold(Direction dir, std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame,
            bool afterGap);
  void detect(Direction dir, std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame,
              bool afterGap);
  void decideFromProbe(Direction dir, bool final);
  void scanPlain(Direction dir, std::uint64_t offset, ByteView data, Timestamp time, std::uint64_t frame,
                 bool afterGap);
  // Returns a LineAction (Classifier.cpp): whether the line starts or decides an upgrade.
  int handleLine(Direction dir, const std::string& line, std::uint64_t offsetAfterLine, std::uint64_t frame);
  void startTls(Direction dir, std::uint64_t offset, std::uint64_t frame);
  void releaseHeld(Direction dir, Mode mode);
  void identifyProtocol(Direction dir, const std::string& upperLine);

  StreamSink& sink_;
  ConnectionInfo& info_;
  std::size_t maxScan_;
  std::array<Side, 2> sides_;
  std::optional<Upgrade> upgrade_;
};

}  // namespace tlslab::capture::detail
