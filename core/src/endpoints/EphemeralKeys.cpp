// Recording the (EC)DHE private keys of lab endpoints, with OpenSSL 3.0's
// public API only. SSL_get_tmp_key() returns the key pair libssl generated
// for this connection (s->s3.tmp.pkey, ssl/s3_lib.c SSL_CTRL_GET_TMP_KEY).
// When it is set (checked against OpenSSL 3.0.19, Debian 12):
//   TLS 1.3 client: from writing its ClientHello (key_share) to the end of
//     the handshake; after a HelloRetryRequest, the second ClientHello's key.
//   TLS 1.3 server: from writing its ServerHello to the end.
//   TLS 1.2 server: from writing ServerKeyExchange until it processes the
//     ClientKeyExchange (the msg callback for that message still sees it).
//   TLS 1.2 client: never: tls_construct_cke_ecdhe/_dhe (ssl/statem/
//     statem_clnt.c) generate, use and free the key inside one function.
// The message callback of each handshake message is therefore the moment to
// look; one side's key is enough to derive the session, and a lab run has
// the server's for TLS 1.2.
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "Instrument.hpp"

namespace tlslab::endpoints {
namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };

Bytes bnParam(EVP_PKEY* key, const char* name, int length = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
  std::unique_ptr<BIGNUM, BnFree> bn(raw);
  const int len = length > 0 ? length : BN_num_bytes(bn.get());
  Bytes out(static_cast<std::size_t>(len));
  if (BN_bn2binpad(bn.get(), out.data(), len) != len) return {};
  return out;
}

std::string groupName(EVP_PKEY* key) {
  char name[64] = {};
  std::size_t len = 0;
  const bool named = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) == 1;
  const std::string n = named ? std::string(name, len) : std::string();
  if (EVP_PKEY_is_a(key, "X25519")) return "x25519";
  if (EVP_PKEY_is_a(key, "X448")) return "x448";
  if (EVP_PKEY_is_a(key, "EC")) return n == "prime256v1" ? "secp256r1" : n;  // secp384r1, secp521r1 as IANA spells them
  if (EVP_PKEY_is_a(key, "DH")) return n.rfind("ffdhe", 0) == 0 ? n : "dh";
  return {};
}

EphemeralKeyEvent exportKey(EVP_PKEY* key) {
  EphemeralKeyEvent event;
  event.time = nowUs();
  event.group = groupName(key);
  unsigned char* encoded = nullptr;
  const std::size_t len = EVP_PKEY_get1_encoded_public_key(key, &encoded);
  if (encoded != nullptr) event.publicKey.assign(encoded, encoded + len);
  OPENSSL_free(encoded);
  if (event.group == "x25519" || event.group == "x448") {
    std::size_t n = 0;
    if (EVP_PKEY_get_raw_private_key(key, nullptr, &n) == 1) {
      event.privateKey.resize(n);
      if (EVP_PKEY_get_raw_private_key(key, event.privateKey.data(), &n) != 1) event.privateKey.clear();
    }
  } else if (EVP_PKEY_is_a(key, "EC")) {
    event.privateKey = bnParam(key, OSSL_PKEY_PARAM_PRIV_KEY, (EVP_PKEY_get_bits(key) + 7) / 8);
  } else if (EVP_PKEY_is_a(key, "DH")) {
    event.privateKey = bnParam(key, OSSL_PKEY_PARAM_PRIV_KEY);
    if (event.group == "dh") {
      event.dhP = bnParam(key, OSSL_PKEY_PARAM_FFC_P);
      event.dhG = bnParam(key, OSSL_PKEY_PARAM_FFC_G);
    }
  }
  return event;
}

}  // namespace

void recordEphemeralKey(SSL* ssl, Instrumentation& inst) {
  EVP_PKEY* raw = nullptr;
  if (SSL_get_tmp_key(ssl, &raw) != 1 || raw == nullptr) return;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(raw);  // SSL_get_tmp_key took a reference
  EphemeralKeyEvent event = exportKey(key.get());
  if (event.group.empty() || event.privateKey.empty() || event.publicKey == inst.lastEphemeralPublicKey) return;
  inst.lastEphemeralPublicKey = event.publicKey;
  inst.recorder->record(std::move(event));
}

}  // namespace tlslab::endpoints
