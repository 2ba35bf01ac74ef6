#include "tlslab/crypto/Ecdh.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

#include <string>

#include "Ossl.hpp"

namespace tlslab::crypto {
namespace {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

ossl::Pkey p256Key(ByteView privateKey, ByteView publicKey) {
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld{OSSL_PARAM_BLD_new()};
  std::unique_ptr<BIGNUM, BnFree> priv;
  if (!bld) return nullptr;
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  if (!privateKey.empty()) {
    priv.reset(BN_bin2bn(privateKey.data(), static_cast<int>(privateKey.size()), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  if (!publicKey.empty()) {
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, publicKey.data(), publicKey.size());
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params{OSSL_PARAM_BLD_to_param(bld.get())};
  ossl::PkeyCtx ctx{EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr)};
  EVP_PKEY* key = nullptr;
  if (!ctx || !params || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, privateKey.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) != 1) {
    return nullptr;
  }
  return ossl::Pkey{key};
}

}  // namespace

Result<Bytes> ecdhSharedSecret(std::string_view group, ByteView privateKey, ByteView peerPublicKey) {
  ossl::Pkey mine, peer;
  if (group == "x25519") {
    if (privateKey.size() != 32 || peerPublicKey.size() != 32) return fail("x25519 keys are 32 bytes");
    mine.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, privateKey.data(), privateKey.size()));
    peer.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peerPublicKey.data(), peerPublicKey.size()));
  } else if (group == "P-256" || group == "secp256r1") {
    if (privateKey.size() != 32 || peerPublicKey.size() != 65) {
      return fail("P-256 needs a 32-byte private key and a 65-byte uncompressed public point");
    }
    mine = p256Key(privateKey, {});
    peer = p256Key({}, peerPublicKey);
  } else {
    return fail("unsupported group \"" + std::string(group) + "\" (x25519 or P-256)");
  }
  if (!mine || !peer) return fail("OpenSSL rejected the " + std::string(group) + " key material");
  ossl::PkeyCtx ctx{EVP_PKEY_CTX_new(mine.get(), nullptr)};
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return fail("key agreement failed (is the public key on the curve?)");
  }
  Bytes out(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) return fail("key agreement failed");
  out.resize(len);
  return out;
}

model::DerivationStep ecdhStep(std::string_view group, ByteView privateKey, ByteView peerPublicKey) {
  model::DerivationStep step;
  step.name = "(EC)DHE shared secret";
  step.node = model::ScheduleNode::SharedSecret;
  step.function = std::string(group) + " key agreement(own private key, peer public key)";
  step.inputs = {{"private key", Bytes(privateKey.begin(), privateKey.end())},
                 {"peer public key", Bytes(peerPublicKey.begin(), peerPublicKey.end())}};
  step.rfc = group == "x25519" ? "RFC 7748 §6.1; RFC 8446 §7.4.2" : "RFC 8446 §7.4.2";
  auto secret = ecdhSharedSecret(group, privateKey, peerPublicKey);
  if (secret) {
    step.output = *secret;
  } else {
    step.status = model::StepStatus::Failed;
    step.note = secret.error();
  }
  return step;
}

}  // namespace tlslab::crypto
