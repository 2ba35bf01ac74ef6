#pragma once
// The opening half of a client connection — resolve, connect, optional
// STARTTLS, TLS handshake — shared by the scripted LabClient and the relay
// leg of a man-in-the-middle proxy.
#include <memory>

#include "Channel.hpp"
#include "Instrument.hpp"
#include "Ossl.hpp"
#include "Socket.hpp"
#include "tlslab/endpoints/LabClient.hpp"

namespace tlslab::endpoints {

struct ResumableSession {
  std::unique_ptr<SSL_SESSION, pki::OsslDeleter<SSL_SESSION_free>> session;
};

// A certificate's subject in one line (RFC 2253), as the logs show it.
std::string subjectLine(X509* cert);
// The certificates the peer sent, as far as the handshake got.
void peerChainOf(SSL* ssl, Negotiated& n);
// What the handshake on `ssl` agreed on (either side: a server learns the client's chain).
Negotiated negotiatedOf(SSL* ssl);

class ClientSession {
 public:
  explicit ClientSession(Recorder& recorder) : recorder_(recorder) { inst_.recorder = &recorder; }
  // Fills run.address/peers/connected/verify/negotiated/earlyDataAccepted;
  // returns "" when the channel is ready for application data.
  std::string open(const ClientConfig& config, ClientRun& run);
  Channel& channel() { return *channel_; }
  SSL* ssl() const { return ssl_.get(); }
  int fd() const { return conn_.fd.get(); }
  SessionHandle resumableSession() const;

 private:
  Recorder& recorder_;
  Connection conn_;
  SslCtxPtr ctx_;
  SslPtr ssl_;
  Instrumentation inst_;
  std::unique_ptr<Channel> channel_;
};

}  // namespace tlslab::endpoints
