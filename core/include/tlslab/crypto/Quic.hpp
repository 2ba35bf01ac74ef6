#pragma once
// QUIC packet protection (RFC 9001 §5), as pure functions over OpenSSL EVP.
//
//   initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id)   §5.2
//   client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", 32)
//   server_initial_secret = HKDF-Expand-Label(initial_secret, "server in", "", 32)
//   key = HKDF-Expand-Label(secret, "quic key", "", key_len)                §5.1
//   iv  = HKDF-Expand-Label(secret, "quic iv",  "", 12)
//   hp  = HKDF-Expand-Label(secret, "quic hp",  "", key_len)
//   next secret = HKDF-Expand-Label(secret, "quic ku", "", Hash.length)     §6.1
//
// Header protection (§5.4): a 16-byte sample of the ciphertext, taken 4 bytes
// after the start of the packet number, gives a 5-byte mask (AES-ECB of the
// sample, or ChaCha20 with the sample as counter||nonce over five zeros); the
// mask's first byte hides the low bits of the first byte, the rest the packet
// number. The payload is AEAD-sealed with nonce = iv XOR packet number and the
// unprotected header as additional data (§5.3).
//
// Every derivation comes as a model::DerivationStep, the way the TLS 1.3
// schedule shows its steps, so the student sees that the Initial keys come
// from nothing but the public Destination Connection ID and a published salt.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Result.hpp"
#include "tlslab/model/Derivation.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::crypto::quic {

constexpr std::uint32_t kVersion1 = 0x00000001;        // RFC 9000
constexpr std::uint32_t kVersionDraft29 = 0xff00001d;  // draft-ietf-quic-tls-29

// True for the versions whose Initial salt and Retry key tlslab knows: QUIC v1
// and drafts 29 to 32 (which share draft-29's salt).
bool knownVersion(std::uint32_t version);
// "QUIC v1", "draft-29", or the hex value.
std::string versionName(std::uint32_t version);
// The Initial salt (RFC 9001 §5.2; draft-29 §5.2); empty for unknown versions.
Bytes initialSalt(std::uint32_t version);

// The keys of one direction at one encryption level.
struct PacketKeys {
  CipherAlg aead = CipherAlg::Aes128Gcm;
  HashAlg hash = HashAlg::Sha256;
  Bytes secret, key, iv, hp;
  bool ok() const { return !key.empty(); }
};

// key/iv/hp from a traffic secret (§5.1), appending the three explained steps.
// `who` names the secret ("client_initial_secret", "client 1-RTT secret").
PacketKeys derivePacketKeys(CipherAlg aead, HashAlg hash, ByteView secret, const std::string& who,
                            std::vector<model::DerivationStep>* steps = nullptr);
// Key update (§6.1): the next generation's secret, and the keys from it
// (hp stays the same across key updates, so it is copied, not derived).
PacketKeys nextGeneration(const PacketKeys& current, const std::string& who,
                          std::vector<model::DerivationStep>* steps = nullptr);

struct InitialKeys {
  Bytes initialSecret;
  PacketKeys client, server;
  std::vector<model::DerivationStep> steps;  // extract, client in, server in, 6 keys
};
// Initial secrets from the client's first Destination Connection ID (§5.2).
Result<InitialKeys> deriveInitialKeys(std::uint32_t version, ByteView clientDcid);

// The 5-byte header protection mask from the hp key and a 16-byte sample (§5.4.3, §5.4.4).
Result<Bytes> headerProtectionMask(CipherAlg aead, ByteView hp, ByteView sample);

// A packet with its header protection taken off.
struct Unprotected {
  Bytes header;            // first byte .. end of the packet number, unprotected (the AAD)
  std::size_t pnOffset = 0;
  std::size_t pnLength = 0;  // 1..4
  std::uint64_t truncatedPn = 0;
  Bytes sample, mask;
};
// packet: the whole packet (long: up to the end given by its Length field;
// short: to the end of the datagram); pnOffset: where the packet number starts.
// Fails, naming what is short, when the packet cannot hold a sample.
Result<Unprotected> removeHeaderProtection(CipherAlg aead, ByteView hp, ByteView packet, std::size_t pnOffset);

// RFC 9000 §A.3: the full packet number nearest to largestSeen + 1.
std::uint64_t decodePacketNumber(std::uint64_t largestSeen, bool anySeen, std::uint64_t truncated,
                                 std::size_t pnLength);
// §5.3: the 12-byte iv XORed with the packet number, left-padded.
Bytes packetNonce(ByteView iv, std::uint64_t packetNumber);
// Opens the payload (ciphertext || 16-byte tag) with the header as AAD.
Result<Bytes> openPayload(const PacketKeys& keys, std::uint64_t packetNumber, ByteView header,
                          ByteView ciphertextAndTag);

// Retry integrity (RFC 9001 §5.8): the 16-byte tag AES-128-GCM computes over the
// Retry pseudo-packet (ODCID length, ODCID, the Retry packet without its tag),
// with the fixed key and nonce of the version.
Result<Bytes> retryIntegrityTag(std::uint32_t version, ByteView originalDcid, ByteView retryWithoutTag);
// True when the last 16 bytes of retryPacket are the tag computed above.
bool retryTagValid(std::uint32_t version, ByteView originalDcid, ByteView retryPacket);

}  // namespace tlslab::crypto::quic
