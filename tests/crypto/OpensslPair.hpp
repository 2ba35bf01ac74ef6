#pragma once
// Test harness: a real OpenSSL client and server talking through memory BIOs
// in one thread. It captures the exact bytes each side put on the wire and the
// key log lines OpenSSL reports (SSL_CTX_set_keylog_callback), so the tests
// can decrypt the session with tlslab's own code and compare with what was
// sent. The RSA key and self-signed certificate are made once per process.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::test {

struct Identity {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string keyPem;
};

inline const Identity& rsaIdentity() {
  static const Identity id = [] {
    Identity out;
    out.key = EVP_RSA_gen(2048);
    out.cert = X509_new();
    X509_set_version(out.cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(out.cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(out.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(out.cert), 3600);
    X509_set_pubkey(out.cert, out.key);
    X509_NAME* name = X509_get_subject_name(out.cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tlslab test"), -1, -1, 0);
    X509_set_issuer_name(out.cert, name);
    X509_sign(out.cert, out.key, EVP_sha256());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, out.key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    out.keyPem.assign(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
  }();
  return id;
}

struct PairConfig {
  int minVersion = TLS1_2_VERSION;
  int maxVersion = TLS1_2_VERSION;
  std::string cipherList;    // TLS <= 1.2, OpenSSL names
  std::string ciphersuites;  // TLS 1.3
  unsigned long options = 0;
  bool keyUpdate = false;
};

struct Capture {
  bool ok = false;
  std::string error;
  Bytes clientToServer, serverToClient;
  std::string keylog;
  Bytes clientSent, serverSent;  // application data, in order
};

namespace detail {

inline void keylogCallback(const SSL* ssl, const char* line) {
  auto* capture = static_cast<Capture*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  capture->keylog += line;
  capture->keylog += "\n";
}

struct Side {
  SSL* ssl = nullptr;
  BIO* in = nullptr;
  BIO* out = nullptr;
};

inline void drain(BIO* from, BIO* to, Bytes& wire) {
  char buf[4096];
  int n = 0;
  while ((n = BIO_read(from, buf, sizeof buf)) > 0) {
    wire.insert(wire.end(), buf, buf + n);
    BIO_write(to, buf, n);
  }
}

inline std::string opensslError(const char* what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

}  // namespace detail

inline Capture runPair(const PairConfig& config) {
  Capture cap;
  const Identity& id = rsaIdentity();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> sctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> cctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  for (SSL_CTX* ctx : {sctx.get(), cctx.get()}) {
    SSL_CTX_set_min_proto_version(ctx, config.minVersion);
    SSL_CTX_set_max_proto_version(ctx, config.maxVersion);
    SSL_CTX_set_options(ctx, config.options);
    if (!config.cipherList.empty() && SSL_CTX_set_cipher_list(ctx, config.cipherList.c_str()) != 1) {
      cap.error = detail::opensslError("cipher list");
      return cap;
    }
    if (!config.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, config.ciphersuites.c_str()) != 1) {
      cap.error = detail::opensslError("ciphersuites");
      return cap;
    }
  }
  SSL_CTX_use_certificate(sctx.get(), id.cert);
  SSL_CTX_use_PrivateKey(sctx.get(), id.key);
  SSL_CTX_set_dh_auto(sctx.get(), 1);
  SSL_CTX_set_app_data(cctx.get(), &cap);
  SSL_CTX_set_keylog_callback(cctx.get(), detail::keylogCallback);

  detail::Side c, s;
  for (detail::Side* side : {&c, &s}) {
    side->ssl = SSL_new(side == &c ? cctx.get() : sctx.get());
    side->in = BIO_new(BIO_s_mem());
    side->out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(side->in, -1);
    SSL_set_bio(side->ssl, side->in, side->out);
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> cOwner(c.ssl, SSL_free), sOwner(s.ssl, SSL_free);
  SSL_set_connect_state(c.ssl);
  SSL_set_accept_state(s.ssl);
  auto pump = [&] {
    detail::drain(c.out, s.in, cap.clientToServer);
    detail::drain(s.out, c.in, cap.serverToClient);
  };
  for (int i = 0; i < 50 && !(SSL_is_init_finished(c.ssl) && SSL_is_init_finished(s.ssl)); ++i) {
    SSL_do_handshake(c.ssl);
    SSL_do_handshake(s.ssl);
    pump();
  }
  if (!SSL_is_init_finished(c.ssl) || !SSL_is_init_finished(s.ssl)) {
    cap.error = detail::opensslError("handshake did not finish");
    return cap;
  }
  auto send = [&](SSL* from, SSL* to, const std::string& text, Bytes& sent) {
    if (SSL_write(from, text.data(), static_cast<int>(text.size())) != static_cast<int>(text.size())) return false;
    sent.insert(sent.end(), text.begin(), text.end());
    pump();
    std::string got;
    char buf[8192];
    int n = 0;
    while (got.size() < text.size() && (n = SSL_read(to, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    pump();
    return got == text;
  };
  bool ok = true;
  for (int i = 0; i < 3 && ok; ++i) {
    ok = send(c.ssl, s.ssl, "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: tlslab\r\n\r\n", cap.clientSent) &&
         send(s.ssl, c.ssl, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok #" + std::to_string(i), cap.serverSent);
    if (i == 0 && config.keyUpdate) {
      ok = ok && SSL_key_update(c.ssl, SSL_KEY_UPDATE_NOT_REQUESTED) == 1 &&
           SSL_key_update(s.ssl, SSL_KEY_UPDATE_NOT_REQUESTED) == 1;
    }
  }
  // More than one 16 KiB record's worth, to cross record boundaries.
  ok = ok && send(c.ssl, s.ssl, std::string(20000, 'x') + "end", cap.clientSent);
  if (!ok) {
    cap.error = detail::opensslError("application data exchange failed");
    return cap;
  }
  SSL_shutdown(c.ssl);
  pump();
  SSL_shutdown(s.ssl);
  pump();
  cap.ok = true;
  return cap;
}

}  // namespace tlslab::test
