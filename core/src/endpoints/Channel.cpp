#include "Channel.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "Ossl.hpp"
#include "Socket.hpp"

#include <openssl/err.h>

namespace tlslab::endpoints {

namespace {
constexpr int kCloseNotifyWaitMs = 1000;

// RFC 8446 §6.1: a TLS stream must end with close_notify; an EOF without it
// may be an attacker cutting the connection (truncation attack).
std::string readError(int sslError) {
  // SO_RCVTIMEO expired: the socket BIO reports a retry, OpenSSL "want read".
  if (sslError == SSL_ERROR_WANT_READ || sslError == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
    return "timed out waiting for the peer";
  }
  unsigned long code = ERR_peek_error();
  bool eof = sslError == SSL_ERROR_SYSCALL ||
             (ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING);
  std::string details = sslErrors();
  return eof ? "connection closed without close_notify (possible truncation attack)" : details;
}
}  // namespace

long Channel::read(std::uint8_t* buffer, std::size_t max) {
  if (!pending_.empty()) {
    std::size_t n = std::min(max, pending_.size());
    std::memcpy(buffer, pending_.data(), n);
    pending_.erase(0, n);
    return static_cast<long>(n);
  }
  long n = 0;
  if (ssl_ != nullptr) {
    std::size_t got = 0;
    int rc = SSL_read_ex(ssl_, buffer, max, &got);
    if (rc != 1) {
      int err = SSL_get_error(ssl_, rc);
      if (err == SSL_ERROR_ZERO_RETURN) {
        peerClosed_ = true;
        return 0;
      }
      lastError_ = readError(err);
      return -1;
    }
    n = static_cast<long>(got);
  } else {
    n = ::recv(fd_, buffer, max, 0);
    if (n < 0) lastError_ = errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for the peer" : std::strerror(errno);
    if (n == 0) peerClosed_ = true;
    if (n <= 0) return n;
    // Without TLS the application bytes are the wire bytes: tap them too.
    recorder_.record(WireEvent{nowUs(), false, Bytes(buffer, buffer + n)});
  }
  recorder_.record(appData(false, ByteView(buffer, static_cast<std::size_t>(n))));
  return n;
}

long Channel::readAvailable(std::uint8_t* buffer, std::size_t max) {
  if (ssl_ == nullptr || !pending_.empty()) return read(buffer, max);
  SSL_clear_mode(ssl_, SSL_MODE_AUTO_RETRY);
  std::size_t got = 0;
  int rc = SSL_read_ex(ssl_, buffer, max, &got);
  if (rc != 1) {
    int err = SSL_get_error(ssl_, rc);
    if (err == SSL_ERROR_WANT_READ) return -2;
    if (err == SSL_ERROR_ZERO_RETURN) return 0;
    lastError_ = readError(err);
    return -1;
  }
  recorder_.record(AppDataEvent{nowUs(), false, Bytes(buffer, buffer + got)});
  return static_cast<long>(got);
}

bool Channel::hasBufferedInput() const { return !pending_.empty() || (ssl_ != nullptr && SSL_pending(ssl_) > 0); }

bool Channel::write(ByteView bytes) {
  if (bytes.empty()) return true;
  // Recorded before the bytes go: once they are out the peer may answer
  // (and its thread record the answer) before this thread runs again.
  recorder_.record(appData(true, bytes));
  if (ssl_ != nullptr) {
    std::size_t written = 0;
    if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) != 1) {
      lastError_ = sslErrors();
      return false;
    }
  } else {
    std::string wire(bytes.begin(), bytes.end());
    if (cleartextTamper_) wire = cleartextTamper_->onCleartextWrite(std::move(wire), fd_);
    std::size_t off = 0;
    while (off < wire.size()) {
      ssize_t n = ::send(fd_, wire.data() + off, wire.size() - off, MSG_NOSIGNAL);
      if (n <= 0) {
        lastError_ = std::strerror(errno);
        return false;
      }
      off += static_cast<std::size_t>(n);
    }
    if (!wire.empty()) recorder_.record(WireEvent{nowUs(), true, toBytes(wire)});
  }
  return true;
}

bool Channel::readUntil(const std::string& delimiter, std::string& out, std::size_t limit) {
  auto endOf = [&delimiter](const std::string& text) {
    auto pos = text.find(delimiter);
    return pos == std::string::npos ? pos : pos + delimiter.size();
  };
  return readUntil(endOf, out, limit, "'" + delimiter + "'");
}

bool Channel::readUntil(const EndFinder& endOf, std::string& out, std::size_t limit, const std::string& what) {
  out.clear();
  std::uint8_t buffer[4096];
  for (;;) {
    if (auto end = endOf(out); end != std::string::npos) {
      pending_ = out.substr(end) + pending_;
      out.resize(end);
      return true;
    }
    if (out.size() >= limit) break;
    long n = read(buffer, sizeof(buffer));
    if (n <= 0) return false;
    out.append(reinterpret_cast<char*>(buffer), static_cast<std::size_t>(n));
  }
  lastError_ = "no " + what + " within " + std::to_string(limit) + " bytes";
  return false;
}

bool Channel::readExactly(std::size_t n, std::string& out) {
  out.clear();
  std::uint8_t buffer[4096];
  while (out.size() < n) {
    long got = read(buffer, std::min(sizeof(buffer), n - out.size()));
    if (got <= 0) return false;
    out.append(reinterpret_cast<char*>(buffer), static_cast<std::size_t>(got));
  }
  return true;
}

std::string Channel::startTls(SSL* ssl, bool keepBuffered) {
  ssl_ = ssl;
  std::string buffered = pending_;
  if (!keepBuffered) pending_.clear();
  return buffered;
}

AppDataEvent Channel::appData(bool sent, ByteView bytes) const {
  return AppDataEvent{nowUs(), sent, Bytes(bytes.begin(), bytes.end()), ssl_ == nullptr ? cleartextProtocol_ : ""};
}

void Channel::tamperCleartext(const Tamper& tamper) {
  if (tamper.action != Tamper::Action::None) cleartextTamper_ = std::make_unique<Tamperer>(tamper, recorder_);
}

bool Channel::keyUpdate() {
  // SSL_do_handshake sends the KeyUpdate now rather than with the next write.
  if (ssl_ == nullptr || SSL_key_update(ssl_, SSL_KEY_UPDATE_REQUESTED) != 1 || SSL_do_handshake(ssl_) != 1) {
    lastError_ = ssl_ == nullptr ? "KeyUpdate needs TLS 1.3" : sslErrors();
    return false;
  }
  return true;
}

bool Channel::renegotiate() {
  if (ssl_ == nullptr || SSL_renegotiate(ssl_) != 1 || SSL_do_handshake(ssl_) != 1) {
    lastError_ = ssl_ == nullptr ? "renegotiation needs TLS" : sslErrors();
    return false;
  }
  return true;
}

void Channel::close() {
  // 0: our close_notify is out, the peer's not yet read. Waiting briefly for it
  // completes the conversation on the wire tap, so a run's own pcapng and a
  // live capture of it hold the same records (RFC 8446 §6.1 lets us not wait).
  if (ssl_ != nullptr && SSL_shutdown(ssl_) == 0) {
    setIoTimeout(fd_, kCloseNotifyWaitMs);
    SSL_shutdown(ssl_);
  }
  ::shutdown(fd_, SHUT_WR);
}

}  // namespace tlslab::endpoints
