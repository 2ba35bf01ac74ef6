#include "tlslab/crypto/KeyAgreement.hpp"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <memory>

#include "Ossl.hpp"

namespace tlslab::crypto {
namespace {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using Bn = std::unique_ptr<BIGNUM, BnFree>;

struct Curve {
  std::string_view iana, alias, openssl;
  std::size_t scalarLength;
};
constexpr std::array<Curve, 3> kCurves = {{{"secp256r1", "P-256", "prime256v1", 32},
                                           {"secp384r1", "P-384", "secp384r1", 48},
                                           {"secp521r1", "P-521", "secp521r1", 66}}};
constexpr std::array<std::string_view, 5> kFfdhe = {"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"};

const Curve* curveOf(std::string_view group) {
  for (const auto& c : kCurves)
    if (c.iana == group) return &c;
  return nullptr;
}

Bn bignum(ByteView bytes) { return Bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr)); }

ByteView withoutLeadingZeros(ByteView v) {
  std::size_t i = 0;
  while (i + 1 < v.size() && v[i] == 0) ++i;
  return v.subspan(i);
}

// EC and DH keys from their parameters; an empty private key makes a public key.
ossl::Pkey fromParams(const char* type, const KeyPair& k, ByteView privateKey, ByteView publicKey) {
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld{OSSL_PARAM_BLD_new()};
  if (!bld) return nullptr;
  std::vector<Bn> keep;  // the builder refers to the BIGNUMs until to_param
  auto pushBn = [&](const char* key, ByteView v) {
    keep.push_back(bignum(v));
    return keep.back() && OSSL_PARAM_BLD_push_BN(bld.get(), key, keep.back().get()) == 1;
  };
  bool ok = true;
  if (const Curve* c = curveOf(k.group)) {
    ok = OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, c->openssl.data(), 0) == 1;
    if (!publicKey.empty())
      ok = ok && OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, publicKey.data(),
                                                  publicKey.size()) == 1;
  } else {
    if (k.group == "dh") {
      ok = pushBn(OSSL_PKEY_PARAM_FFC_P, k.dhP) && pushBn(OSSL_PKEY_PARAM_FFC_G, k.dhG);
    } else {
      ok = OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, k.group.c_str(), 0) == 1;
    }
    if (!publicKey.empty()) ok = ok && pushBn(OSSL_PKEY_PARAM_PUB_KEY, publicKey);
  }
  if (!privateKey.empty()) ok = ok && pushBn(OSSL_PKEY_PARAM_PRIV_KEY, privateKey);
  std::unique_ptr<OSSL_PARAM, ParamFree> params{ok ? OSSL_PARAM_BLD_to_param(bld.get()) : nullptr};
  ossl::PkeyCtx ctx{EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr)};
  EVP_PKEY* key = nullptr;
  if (!ctx || !params || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, privateKey.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) != 1) {
    return nullptr;
  }
  return ossl::Pkey{key};
}

Result<ossl::Pkey> makeKey(const KeyPair& k, ByteView privateKey, ByteView publicKey) {
  ossl::Pkey key;
  const bool raw = k.group == "x25519" || k.group == "x448";
  if (raw) {
    const int type = k.group == "x25519" ? EVP_PKEY_X25519 : EVP_PKEY_X448;
    const std::size_t len = k.group == "x25519" ? 32 : 56;
    if (!privateKey.empty()) {
      if (privateKey.size() != len) return fail(k.group + " private keys are " + std::to_string(len) + " bytes");
      key.reset(EVP_PKEY_new_raw_private_key(type, nullptr, privateKey.data(), privateKey.size()));
    } else {
      if (publicKey.size() != len) return fail(k.group + " public keys are " + std::to_string(len) + " bytes");
      key.reset(EVP_PKEY_new_raw_public_key(type, nullptr, publicKey.data(), publicKey.size()));
    }
  } else if (const Curve* c = curveOf(k.group)) {
    if (!publicKey.empty() && (publicKey.size() != 2 * c->scalarLength + 1 || publicKey[0] != 0x04))
      return fail(k.group + " key shares are uncompressed points (0x04, " + std::to_string(2 * c->scalarLength + 1) +
                  " bytes), got " + std::to_string(publicKey.size()) + " bytes");
    key = fromParams("EC", k, privateKey, publicKey);
  } else if (isFiniteFieldGroup(k.group)) {
    if (k.group == "dh" && (k.dhP.empty() || k.dhG.empty())) return fail("explicit DH needs p and g");
    key = fromParams("DH", k, privateKey, publicKey);
  } else {
    return fail("unsupported group \"" + k.group + "\" (x25519, x448, secp256r1/384r1/521r1, ffdhe*, or dh with p, g)");
  }
  if (!key) return fail("OpenSSL rejected the " + k.group + " key material");
  return key;
}

std::string pemOf(EVP_PKEY* key, bool privateKey) {
  std::unique_ptr<BIO, BioFree> bio{BIO_new(BIO_s_mem())};
  if (!bio) return {};
  const int ok = privateKey ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                            : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string pemCommand(const KeyPair& k, bool withPrivate, ByteView publicKey, const std::string& file) {
  std::string cmd = "tlslab keys pem --group " + k.group;
  if (k.group == "dh") cmd += " --p " + toHex(k.dhP) + " --g " + toHex(k.dhG);
  if (withPrivate) cmd += " --private " + toHex(k.privateKey);
  if (!publicKey.empty()) cmd += " --public " + toHex(publicKey);
  return cmd + " --out " + file;
}

}  // namespace

std::string canonicalGroup(std::string_view group) {
  for (const auto& c : kCurves)
    if (group == c.iana || group == c.alias || group == c.openssl) return std::string(c.iana);
  if (group == "x25519" || group == "X25519") return "x25519";
  if (group == "x448" || group == "X448") return "x448";
  if (group == "dh" || std::find(kFfdhe.begin(), kFfdhe.end(), group) != kFfdhe.end()) return std::string(group);
  return {};
}

bool isFiniteFieldGroup(std::string_view group) {
  return group == "dh" || std::find(kFfdhe.begin(), kFfdhe.end(), group) != kFfdhe.end();
}

Result<Bytes> keyAgreement(const KeyPair& own, ByteView peerPublicKey, bool tls13) {
  if (own.privateKey.empty()) return fail("no private key");
  auto mine = makeKey(own, own.privateKey, own.publicKey);
  if (!mine) return fail(mine.error());
  auto peer = makeKey(own, {}, peerPublicKey);
  if (!peer) return fail("the peer's key share: " + peer.error());
  ossl::PkeyCtx ctx{EVP_PKEY_CTX_new(mine->get(), nullptr)};
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return fail("key agreement failed to start");
  if (tls13 && isFiniteFieldGroup(own.group) && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) != 1)
    return fail("cannot pad the DH secret");
  if (EVP_PKEY_derive_set_peer(ctx.get(), peer->get()) != 1 || EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1)
    return fail("key agreement failed (is the peer's share a valid " + own.group + " public key?)");
  Bytes out(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) return fail("key agreement failed");
  out.resize(len);
  return out;
}

Result<std::string> privateKeyPem(const KeyPair& own) {
  auto key = makeKey(own, own.privateKey, own.publicKey);
  if (!key) return fail(key.error());
  std::string pem = pemOf(key->get(), true);
  if (pem.empty()) return fail("cannot write the " + own.group + " private key as PEM");
  return pem;
}

Result<std::string> publicKeyPem(const KeyPair& groupOf, ByteView publicKey) {
  auto key = makeKey(groupOf, {}, publicKey);
  if (!key) return fail(key.error());
  std::string pem = pemOf(key->get(), false);
  if (pem.empty()) return fail("cannot write the " + groupOf.group + " public key as PEM");
  return pem;
}

bool samePublicKey(std::string_view group, ByteView a, ByteView b) {
  if (isFiniteFieldGroup(group)) {
    a = withoutLeadingZeros(a);
    b = withoutLeadingZeros(b);
  }
  return !a.empty() && std::equal(a.begin(), a.end(), b.begin(), b.end());
}

model::DerivationStep keyAgreementStep(const KeyPair& own, ByteView peerPublicKey, bool tls13,
                                       const std::string& ownSide) {
  const std::string peerSide = ownSide == "client" ? "server" : "client";
  model::DerivationStep step;
  step.name = tls13 ? "(EC)DHE shared secret" : "pre_master_secret";
  step.node = tls13 ? model::ScheduleNode::SharedSecret : model::ScheduleNode::PreMasterSecret;
  const bool ff = isFiniteFieldGroup(own.group);
  step.function = (ff ? "DH" : "ECDH") + std::string(" ") + own.group + "(" + ownSide + " ephemeral private key, " +
                  peerSide + " key share)";
  step.inputs = {{ownSide + " ephemeral private key", own.privateKey},
                 {ownSide + " key share (public)", own.publicKey},
                 {peerSide + " key share (public)", Bytes(peerPublicKey.begin(), peerPublicKey.end())}};
  if (own.group == "dh") {
    step.inputs.push_back({"DH p (ServerKeyExchange)", own.dhP});
    step.inputs.push_back({"DH g (ServerKeyExchange)", own.dhG});
  }
  step.rfc = tls13 ? (ff ? "RFC 8446 §7.4.1; RFC 7919" : own.group.rfind("x", 0) == 0 ? "RFC 8446 §7.4.2; RFC 7748 §6" : "RFC 8446 §7.4.2")
                   : (ff ? "RFC 5246 §8.1.2" : "RFC 8422 §5.10");
  const std::string ownFile = ownSide + "-ephemeral.pem", peerFile = peerSide + "-key-share.pem";
  step.command = pemCommand(own, true, own.publicKey, ownFile) + "\n" + pemCommand(own, false, peerPublicKey, peerFile) +
                 "\nopenssl pkeyutl -derive -inkey " + ownFile + " -peerkey " + peerFile +
                 (tls13 && ff ? " -pkeyopt dh_pad:1" : "") + " | od -An -tx1 -v | tr -d ' \\n'";
  auto secret = keyAgreement(own, peerPublicKey, tls13);
  if (secret) {
    step.output = *secret;
    step.note = "the " + ownSide + "'s ephemeral key, recorded by the lab endpoint (it never goes into a capture)";
    if (ff && !tls13) step.note += "; TLS 1.2 strips the secret's leading zero bytes (RFC 5246 §8.1.2)";
  } else {
    step.status = model::StepStatus::Failed;
    step.note = secret.error();
  }
  return step;
}

}  // namespace tlslab::crypto
