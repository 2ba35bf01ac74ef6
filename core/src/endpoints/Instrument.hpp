#pragma once
// The hooks that make an OpenSSL endpoint observable. Nothing here changes
// what OpenSSL does on the wire: msg, info, keylog and verify callbacks, and
// a BIO callback on the socket BIO as the wire tap (STYLE.md practice 11).
#include <openssl/ssl.h>

#include <string>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/VerifyMode.hpp"
#include "tlslab/model/Verify.hpp"

namespace tlslab::endpoints {

// A handshake is about ten messages; renegotiations, tickets and KeyUpdates
// add a few each. A peer that sends more (endless HelloRequests, which libssl
// ignores and keeps reading) is cut off here, so neither memory nor the log
// grows without end.
constexpr std::size_t kHandshakeMessageBudget = 1024;

struct Instrumentation {
  Recorder* recorder = nullptr;
  std::size_t handshakeMessagesReceived = 0;
  bool overBudget = false;  // the peer passed kHandshakeMessageBudget: its reads end
  // While a handshake runs: when it must be over (nowUs() clock; 0 = none).
  // A peer trickling one byte at a time beats every per-read timeout; this
  // deadline ends it (the wire tap refuses the next read).
  TimeUs handshakeDeadline = 0;
  int handshakeTimeoutMs = 0;
  bool pastDeadline = false;
  VerifyMode verifyMode = VerifyMode::ChainAndHost;
  model::VerifyVerdict verdict;  // filled by the verify callback
  Bytes pinnedSpkiSha256;        // VerifyMode::Pinned
  Bytes lastEphemeralPublicKey;  // the key share last recorded (a HelloRetryRequest makes a second)
};

// "" or, once the peer passed the budget or the handshake deadline, why the
// connection was stopped (`peer`: "server" or "client").
std::string budgetError(const Instrumentation& inst, const char* peer);

// Starts (timeoutMs > 0) or ends (0) the handshake deadline.
void setHandshakeDeadline(Instrumentation& inst, int timeoutMs);

// Records the (EC)DHE key libssl holds for this handshake, once per key
// (EphemeralKeys.cpp); called from the message callback.
void recordEphemeralKey(SSL* ssl, Instrumentation& inst);

// SHA-256 over the certificate's DER SubjectPublicKeyInfo: the pin (RFC 7469 §2.4).
Bytes spkiSha256(X509* cert);

// Keylog lines are reported per SSL_CTX; the callback finds the connection's
// Instrumentation through the SSL's ex_data.
void installKeylogHook(SSL_CTX* ctx);

// Attaches msg/info/verify hooks to `ssl` and the wire tap to its read and
// write BIOs (call after SSL_set_fd). `inst` must outlive the SSL.
void instrument(SSL* ssl, Instrumentation* inst);

// The verify mode's OpenSSL flags (SSL_VERIFY_*), applied with our callback.
void applyVerifyMode(SSL* ssl, VerifyMode mode);

}  // namespace tlslab::endpoints

namespace tlslab::endpoints {
// Server side: ask for (or require) a client certificate, chain-checked.
void applyClientAuth(SSL* ssl, bool require);
}  // namespace tlslab::endpoints
