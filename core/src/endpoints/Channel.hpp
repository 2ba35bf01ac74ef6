#pragma once
// A byte pipe to the peer: TLS (SSL_read/SSL_write) or the plain socket, so
// the same services run with and without TLS (the eavesdropping lab). Every
// application byte is recorded, for the self-check against the dissection.
#include <openssl/ssl.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "TamperBio.hpp"
#include "tlslab/endpoints/Events.hpp"

namespace tlslab::endpoints {

class Channel {
 public:
  Channel(int fd, SSL* ssl, Recorder& recorder) : fd_(fd), ssl_(ssl), recorder_(recorder) {}
  // Up to `max` bytes; 0 on orderly close, -1 on error or timeout.
  long read(std::uint8_t* buffer, std::size_t max);
  bool write(ByteView bytes);
  // For relaying: like read, but returns -2 instead of blocking when a TLS
  // record without application data (a ticket, a KeyUpdate) was all there was.
  long readAvailable(std::uint8_t* buffer, std::size_t max);
  // Input already decrypted or buffered, which poll() on the socket cannot see.
  bool hasBufferedInput() const;
  bool write(const std::string& text) { return write(asBytes(text)); }
  // Reads until `delimiter` (included) or `limit` bytes; false on close/error.
  bool readUntil(const std::string& delimiter, std::string& out, std::size_t limit = 64 * 1024);
  // The same with a finder: it returns how many of the bytes read so far make
  // up what is wanted (std::string::npos: not yet); the rest is kept for the
  // next read. `what` names it in the error when `limit` is reached first.
  using EndFinder = std::function<std::size_t(const std::string&)>;
  bool readUntil(const EndFinder& endOf, std::string& out, std::size_t limit, const std::string& what);
  bool readExactly(std::size_t n, std::string& out);
  // TLS 1.3 KeyUpdate with update_requested (RFC 8446 §4.6.3), sent at once.
  bool keyUpdate();
  // TLS 1.2 renegotiation, completed before returning.
  bool renegotiate();
  // Bytes that arrived before the channel existed (0-RTT early data), served first.
  void preload(const std::string& bytes) { pending_ = bytes + pending_; }
  // close_notify for TLS (RFC 8446 §6.1), then the socket's write side.
  void close();
  const std::string& lastError() const { return lastError_; }
  // The last read ended because the peer closed (TCP FIN or close_notify),
  // not because of an error or a timeout.
  bool peerClosed() const { return peerClosed_; }
  bool isTls() const { return ssl_ != nullptr; }
  // STARTTLS: from now on the same socket carries TLS. Returns the plaintext
  // bytes that arrived after the upgrade command and were still buffered;
  // a correct endpoint discards them (`keepBuffered` = false), the classic
  // STARTTLS bug (CVE-2011-0411 and kin) is to keep and run them as if they
  // had come inside TLS.
  std::string startTls(SSL* ssl, bool keepBuffered);
  // An attacker on the cleartext path: each write passes through `tamper`
  // (the tamper lab's --plain, where nothing can notice).
  void tamperCleartext(const Tamper& tamper);
  // What the bytes are while no TLS protects them, for the trace ("SMTP"...).
  void setCleartextProtocol(std::string protocol) { cleartextProtocol_ = std::move(protocol); }

 private:
  int fd_;
  SSL* ssl_;
  Recorder& recorder_;
  std::string pending_;  // read past a delimiter, served to the next read
  std::string lastError_;
  bool peerClosed_ = false;
  std::unique_ptr<Tamperer> cleartextTamper_;
  std::string cleartextProtocol_ = "TCP";
  AppDataEvent appData(bool sent, ByteView bytes) const;
};

}  // namespace tlslab::endpoints
