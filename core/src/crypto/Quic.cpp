#include "tlslab/crypto/Quic.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "Ossl.hpp"
#include "tlslab/crypto/Aead.hpp"
#include "tlslab/crypto/Kdf.hpp"

namespace tlslab::crypto::quic {
namespace {

constexpr std::size_t kSample = 16;
constexpr std::size_t kTag = 16;

// RFC 9001 §5.2 (v1) and draft-ietf-quic-tls-29 §5.2 (drafts 29..32).
constexpr std::uint8_t kSaltV1[] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
constexpr std::uint8_t kSaltDraft29[] = {0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
                                         0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
// RFC 9001 §5.8 and draft-29 §5.8: the Retry integrity key and nonce.
constexpr std::uint8_t kRetryKeyV1[] = {0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
                                        0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e};
constexpr std::uint8_t kRetryNonceV1[] = {0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb};
constexpr std::uint8_t kRetryKeyDraft29[] = {0xcc, 0xce, 0x18, 0x7e, 0xd0, 0x9a, 0x09, 0xd0,
                                             0x57, 0x28, 0x15, 0x5a, 0x6c, 0xb9, 0x6b, 0xe1};
constexpr std::uint8_t kRetryNonceDraft29[] = {0xe5, 0x49, 0x30, 0xf9, 0x7f, 0x21, 0x36, 0xf0,
                                               0x53, 0x0a, 0x8c, 0x1c};

bool draft29Family(std::uint32_t v) { return v >= 0xff00001d && v <= 0xff000020; }

std::size_t keyLength(CipherAlg aead) { return aeadKeyLength(aead); }

model::DerivationStep expand(HashAlg hash, ByteView secret, const char* label, std::size_t length,
                             std::string name) {
  model::DerivationStep step = hkdfExpandLabel(hash, secret, label, {}, length, std::move(name));
  step.rfc = "RFC 9001 §5.1; RFC 8446 §7.1";
  return step;
}

const EVP_CIPHER* ecbFor(CipherAlg aead) {
  switch (aead) {
    case CipherAlg::Aes128Gcm:
    case CipherAlg::Aes128Ccm: return EVP_aes_128_ecb();
    case CipherAlg::Aes256Gcm: return EVP_aes_256_ecb();
    default: return nullptr;
  }
}

}  // namespace

bool knownVersion(std::uint32_t version) { return version == kVersion1 || draft29Family(version); }

std::string versionName(std::uint32_t version) {
  if (version == kVersion1) return "QUIC v1";
  if (draft29Family(version)) return "draft-" + std::to_string(version & 0xff);
  if (version == 0) return "version negotiation";
  static const char* hex = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += hex[(version >> shift) & 0xf];
  return out;
}

Bytes initialSalt(std::uint32_t version) {
  if (version == kVersion1) return Bytes(std::begin(kSaltV1), std::end(kSaltV1));
  if (draft29Family(version)) return Bytes(std::begin(kSaltDraft29), std::end(kSaltDraft29));
  return {};
}

PacketKeys derivePacketKeys(CipherAlg aead, HashAlg hash, ByteView secret, const std::string& who,
                            std::vector<model::DerivationStep>* steps) {
  PacketKeys k;
  k.aead = aead;
  k.hash = hash;
  k.secret.assign(secret.begin(), secret.end());
  const std::size_t len = keyLength(aead);
  if (len == 0 || secret.empty()) return k;
  auto s1 = expand(hash, secret, "quic key", len, who + " key");
  auto s2 = expand(hash, secret, "quic iv", 12, who + " iv");
  auto s3 = expand(hash, secret, "quic hp", len, who + " hp");
  k.key = s1.output;
  k.iv = s2.output;
  k.hp = s3.output;
  if (steps) {
    steps->push_back(std::move(s1));
    steps->push_back(std::move(s2));
    steps->push_back(std::move(s3));
  }
  return k;
}

PacketKeys nextGeneration(const PacketKeys& current, const std::string& who,
                          std::vector<model::DerivationStep>* steps) {
  auto ku = expand(current.hash, current.secret, "quic ku", hashLength(current.hash), who);
  ku.rfc = "RFC 9001 §6.1";
  // §6.1: only the packet protection key and iv change; the header protection key does not.
  std::vector<model::DerivationStep> local;
  PacketKeys next = derivePacketKeys(current.aead, current.hash, ku.output, who, &local);
  next.hp = current.hp;
  if (steps) {
    steps->push_back(std::move(ku));
    for (auto& s : local)
      if (s.name != who + " hp") steps->push_back(std::move(s));
  }
  return next;
}

Result<InitialKeys> deriveInitialKeys(std::uint32_t version, ByteView clientDcid) {
  const Bytes salt = initialSalt(version);
  if (salt.empty()) return fail("no Initial salt is known for QUIC version " + versionName(version));
  InitialKeys out;
  auto extract = hkdfExtract(HashAlg::Sha256, salt, clientDcid, "initial_secret");
  extract.rfc = "RFC 9001 §5.2";
  extract.inputs[0].label = "salt (initial_salt of " + versionName(version) + ", published)";
  extract.inputs[1].label = "IKM (the client's first Destination Connection ID, sent in clear)";
  extract.note = "anyone who sees the client's first Initial packet can compute this";
  out.initialSecret = extract.output;
  out.steps.push_back(std::move(extract));
  auto c = expand(HashAlg::Sha256, out.initialSecret, "client in", 32, "client_initial_secret");
  auto s = expand(HashAlg::Sha256, out.initialSecret, "server in", 32, "server_initial_secret");
  c.rfc = s.rfc = "RFC 9001 §5.2";
  const Bytes cs = c.output, ss = s.output;
  out.steps.push_back(std::move(c));
  out.steps.push_back(std::move(s));
  // §5.2: Initial packets use AEAD_AES_128_GCM and its header protection.
  out.client = derivePacketKeys(CipherAlg::Aes128Gcm, HashAlg::Sha256, cs, "client Initial", &out.steps);
  out.server = derivePacketKeys(CipherAlg::Aes128Gcm, HashAlg::Sha256, ss, "server Initial", &out.steps);
  return out;
}

Result<Bytes> headerProtectionMask(CipherAlg aead, ByteView hp, ByteView sample) {
  if (sample.size() != kSample) return fail("the header protection sample must have 16 bytes");
  if (hp.size() != keyLength(aead) || hp.empty()) return fail("the hp key has the wrong length for the cipher");
  ossl::CipherCtx ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) return fail("OpenSSL could not allocate a cipher context");
  Bytes out(32);
  int len = 0;
  if (aead == CipherAlg::ChaCha20Poly1305) {
    // §5.4.4: counter = sample[0..3] (little-endian), nonce = sample[4..15]; OpenSSL's
    // 16-byte ChaCha20 IV is exactly counter || nonce in that order.
    const std::uint8_t zeros[5] = {};
    if (EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, hp.data(), sample.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, zeros, 5) != 1)
      return fail("OpenSSL ChaCha20 failed");
  } else {
    const EVP_CIPHER* ecb = ecbFor(aead);
    if (ecb == nullptr) return fail(std::string("no header protection for ") + cipherName(aead));
    // §5.4.3: mask = AES-ECB(hp_key, sample).
    if (EVP_EncryptInit_ex(ctx.get(), ecb, nullptr, hp.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &len, sample.data(), static_cast<int>(kSample)) != 1)
      return fail("OpenSSL AES-ECB failed");
  }
  out.resize(5);
  return out;
}

Result<Unprotected> removeHeaderProtection(CipherAlg aead, ByteView hp, ByteView packet, std::size_t pnOffset) {
  if (packet.empty() || pnOffset >= packet.size())
    return fail("the packet ends before its packet number (offset " + std::to_string(pnOffset) + ")");
  // §5.4.2: the sample starts 4 bytes after the packet number's first byte.
  if (packet.size() < pnOffset + 4 + kSample)
    return fail("the packet has " + std::to_string(packet.size()) + " bytes: too short for a 16-byte sample at offset " +
                std::to_string(pnOffset + 4));
  Unprotected u;
  u.pnOffset = pnOffset;
  u.sample.assign(packet.begin() + static_cast<std::ptrdiff_t>(pnOffset + 4),
                  packet.begin() + static_cast<std::ptrdiff_t>(pnOffset + 4 + kSample));
  auto mask = headerProtectionMask(aead, hp, u.sample);
  if (!mask) return fail(mask.error());
  u.mask = *mask;
  const bool isLong = (packet[0] & 0x80) != 0;
  const std::uint8_t first = static_cast<std::uint8_t>(packet[0] ^ (u.mask[0] & (isLong ? 0x0f : 0x1f)));
  u.pnLength = static_cast<std::size_t>(first & 0x03) + 1;
  u.header.assign(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(pnOffset + u.pnLength));
  u.header[0] = first;
  for (std::size_t i = 0; i < u.pnLength; ++i) {
    u.header[pnOffset + i] ^= u.mask[1 + i];
    u.truncatedPn = (u.truncatedPn << 8) | u.header[pnOffset + i];
  }
  return u;
}

std::uint64_t decodePacketNumber(std::uint64_t largestSeen, bool anySeen, std::uint64_t truncated,
                                 std::size_t pnLength) {
  // RFC 9000 §A.3, DecodePacketNumber.
  const std::uint64_t expected = anySeen ? largestSeen + 1 : 0;
  const std::uint64_t win = std::uint64_t{1} << (pnLength * 8);
  const std::uint64_t hwin = win / 2;
  const std::uint64_t mask = win - 1;
  const std::uint64_t candidate = (expected & ~mask) | truncated;
  if (expected >= hwin && candidate <= expected - hwin && candidate < (std::uint64_t{1} << 62) - win)
    return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

Bytes packetNonce(ByteView iv, std::uint64_t packetNumber) {
  Bytes nonce(iv.begin(), iv.end());
  for (std::size_t i = 0; i < 8 && i < nonce.size(); ++i)
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(packetNumber >> (8 * i));
  return nonce;
}

Result<Bytes> openPayload(const PacketKeys& keys, std::uint64_t packetNumber, ByteView header,
                          ByteView ciphertextAndTag) {
  if (!keys.ok()) return fail("no packet protection keys");
  return aeadOpen(keys.aead, keys.key, packetNonce(keys.iv, packetNumber), header, ciphertextAndTag);
}

Result<Bytes> retryIntegrityTag(std::uint32_t version, ByteView originalDcid, ByteView retryWithoutTag) {
  const bool v1 = version == kVersion1;
  if (!v1 && !draft29Family(version)) return fail("no Retry integrity key for " + versionName(version));
  if (originalDcid.size() > 20) return fail("a connection ID has at most 20 bytes");
  // §5.8: Retry Pseudo-Packet = ODCID Length (1) || ODCID || the Retry packet without its tag.
  Bytes pseudo;
  pseudo.push_back(static_cast<std::uint8_t>(originalDcid.size()));
  pseudo.insert(pseudo.end(), originalDcid.begin(), originalDcid.end());
  pseudo.insert(pseudo.end(), retryWithoutTag.begin(), retryWithoutTag.end());
  const std::uint8_t* key = v1 ? kRetryKeyV1 : kRetryKeyDraft29;
  const std::uint8_t* nonce = v1 ? kRetryNonceV1 : kRetryNonceDraft29;
  ossl::CipherCtx ctx{EVP_CIPHER_CTX_new()};
  Bytes tag(kTag);
  int len = 0;
  std::uint8_t none[1];
  const bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key, nonce) == 1 &&
                  EVP_EncryptUpdate(ctx.get(), nullptr, &len, pseudo.data(), static_cast<int>(pseudo.size())) == 1 &&
                  EVP_EncryptFinal_ex(ctx.get(), none, &len) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTag), tag.data()) == 1;
  if (!ok) return fail("OpenSSL AES-128-GCM failed computing the Retry tag");
  return tag;
}

bool retryTagValid(std::uint32_t version, ByteView originalDcid, ByteView retryPacket) {
  if (retryPacket.size() < kTag) return false;
  auto tag = retryIntegrityTag(version, originalDcid, retryPacket.first(retryPacket.size() - kTag));
  if (!tag) return false;
  const ByteView got = retryPacket.last(kTag);
  return std::equal(got.begin(), got.end(), tag->begin());
}

}  // namespace tlslab::crypto::quic
