#pragma once
// Test harness: a real OpenSSL client and server talking over memory BIOs in
// one thread, capturing (a) the exact bytes each side put on the wire and
// (b) every plaintext handshake message each side wrote (msg callback).
// Tests may use OpenSSL; the wire library itself never does.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"
#include "tlslab/wire/Flow.hpp"

namespace tlslab::wire::testpair {

struct SslCtxFree { void operator()(SSL_CTX* p) const { SSL_CTX_free(p); } };
struct SslFree { void operator()(SSL* p) const { SSL_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct SessionFree { void operator()(SSL_SESSION* p) const { SSL_SESSION_free(p); } };
using CtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

struct Identity {
  PkeyPtr key;
  X509Ptr cert;
};

// A throwaway RSA key and self-signed certificate (made once per process).
inline const Identity& identity() {
  static const Identity id = [] {
    Identity i;
    i.key.reset(EVP_RSA_gen(2048));
    if (!i.key) throw std::runtime_error("EVP_RSA_gen failed");
    i.cert.reset(X509_new());
    X509* x = i.cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, i.key.get());
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    if (X509_sign(x, i.key.get(), EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");
    return i;
  }();
  return id;
}

struct Message {
  Sender from = Sender::Client;
  int contentType = 0;  // 22 handshake, 20 change_cipher_spec
  Bytes bytes;
};

struct Capture {
  Bytes clientToServer;
  Bytes serverToClient;
  std::vector<Message> messages;
  bool handshakeDone = false;
};

struct Options {
  int version = TLS1_3_VERSION;
  std::string cipherList;    // TLS 1.2 suites (OpenSSL names)
  std::string clientGroups;  // e.g. "P-256:X25519" (first group gets a key share)
  std::string serverGroups;
  bool clientAuth = false;
  bool noTickets = false;    // TLS 1.2: resume by session id instead
  bool keyUpdate = false;    // TLS 1.3: client sends KeyUpdate after the handshake
};

struct Tap {
  Capture* capture;
  Sender from;
};

inline void onMessage(int writeP, int /*version*/, int contentType, const void* buf, size_t len, SSL* /*ssl*/,
                      void* arg) {
  if (writeP != 1 || (contentType != 22 && contentType != 20)) return;
  auto* tap = static_cast<Tap*>(arg);
  const auto* p = static_cast<const std::uint8_t*>(buf);
  tap->capture->messages.push_back({tap->from, contentType, Bytes(p, p + len)});
}

inline int acceptAnyCert(int /*ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

// One pair of contexts; several connections can run on them (resumption).
class Pair {
 public:
  explicit Pair(Options options) : options_(std::move(options)) {
    client_.reset(SSL_CTX_new(TLS_client_method()));
    server_.reset(SSL_CTX_new(TLS_server_method()));
    for (SSL_CTX* ctx : {client_.get(), server_.get()}) {
      SSL_CTX_set_min_proto_version(ctx, options_.version);
      SSL_CTX_set_max_proto_version(ctx, options_.version);
      if (!options_.cipherList.empty()) SSL_CTX_set_cipher_list(ctx, options_.cipherList.c_str());
    }
    const Identity& id = identity();
    SSL_CTX_use_certificate(server_.get(), id.cert.get());
    SSL_CTX_use_PrivateKey(server_.get(), id.key.get());
    SSL_CTX_set_dh_auto(server_.get(), 1);
    static const unsigned char kSid[] = "tlslab-wire-test";
    SSL_CTX_set_session_id_context(server_.get(), kSid, sizeof kSid - 1);
    SSL_CTX_set_session_cache_mode(client_.get(), SSL_SESS_CACHE_CLIENT);
    if (options_.noTickets) SSL_CTX_set_options(server_.get(), SSL_OP_NO_TICKET);
    if (!options_.clientGroups.empty()) SSL_CTX_set1_groups_list(client_.get(), options_.clientGroups.c_str());
    if (!options_.serverGroups.empty()) SSL_CTX_set1_groups_list(server_.get(), options_.serverGroups.c_str());
    SSL_CTX_set_verify(client_.get(), SSL_VERIFY_PEER, acceptAnyCert);
    if (options_.clientAuth) {
      SSL_CTX_set_verify(server_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyCert);
      SSL_CTX_use_certificate(client_.get(), id.cert.get());
      SSL_CTX_use_PrivateKey(client_.get(), id.key.get());
    }
  }

  // Runs one connection (resuming `session` if given) and returns what it saw.
  Capture connect(SSL_SESSION* session = nullptr) {
    Capture cap;
    Tap clientTap{&cap, Sender::Client};
    Tap serverTap{&cap, Sender::Server};
    SslPtr c(SSL_new(client_.get()));
    SslPtr s(SSL_new(server_.get()));
    BIO* cIn = BIO_new(BIO_s_mem());
    BIO* cOut = BIO_new(BIO_s_mem());
    BIO* sIn = BIO_new(BIO_s_mem());
    BIO* sOut = BIO_new(BIO_s_mem());
    SSL_set_bio(c.get(), cIn, cOut);  // the SSL objects own the BIOs now
    SSL_set_bio(s.get(), sIn, sOut);
    SSL_set_connect_state(c.get());
    SSL_set_accept_state(s.get());
    SSL_set_msg_callback(c.get(), onMessage);
    SSL_set_msg_callback_arg(c.get(), &clientTap);
    SSL_set_msg_callback(s.get(), onMessage);
    SSL_set_msg_callback_arg(s.get(), &serverTap);
    SSL_set_tlsext_host_name(c.get(), "localhost");
    if (session != nullptr) SSL_set_session(c.get(), session);

    auto pump = [&] {
      bool moved = false;
      moved |= move(cOut, sIn, cap.clientToServer);
      moved |= move(sOut, cIn, cap.serverToClient);
      return moved;
    };
    for (int i = 0; i < 50; ++i) {
      int rc = SSL_do_handshake(c.get());
      int rs = SSL_do_handshake(s.get());
      bool moved = pump();
      if (rc == 1 && rs == 1 && !moved) break;
    }
    cap.handshakeDone = SSL_is_init_finished(c.get()) && SSL_is_init_finished(s.get());
    // Application data both ways: makes the client read NewSessionTicket (1.3).
    char buf[64];
    SSL_write(c.get(), "ping", 4);
    pump();
    SSL_read(s.get(), buf, sizeof buf);
    if (options_.keyUpdate) {
      SSL_key_update(c.get(), SSL_KEY_UPDATE_REQUESTED);
      SSL_write(c.get(), "ku", 2);
      pump();
      SSL_read(s.get(), buf, sizeof buf);
    }
    SSL_write(s.get(), "pong", 4);
    pump();
    SSL_read(c.get(), buf, sizeof buf);
    pump();
    // A clean close_notify both ways: OpenSSL drops sessions of connections
    // freed without one, and resumption tests need the session.
    SSL_shutdown(c.get());
    pump();
    SSL_shutdown(s.get());
    pump();
    SSL_shutdown(c.get());
    session_.reset(SSL_get1_session(c.get()));
    resumed_ = SSL_session_reused(c.get()) == 1;
    return cap;
  }

  SSL_SESSION* lastSession() const { return session_.get(); }
  bool lastResumed() const { return resumed_; }

 private:
  static bool move(BIO* from, BIO* to, Bytes& wire) {
    bool moved = false;
    unsigned char buf[4096];
    int n = 0;
    while ((n = BIO_read(from, buf, sizeof buf)) > 0) {
      wire.insert(wire.end(), buf, buf + n);
      BIO_write(to, buf, n);
      moved = true;
    }
    return moved;
  }

  Options options_;
  CtxPtr client_;
  CtxPtr server_;
  SessionPtr session_;
  bool resumed_ = false;
};

}  // namespace tlslab::wire::testpair
