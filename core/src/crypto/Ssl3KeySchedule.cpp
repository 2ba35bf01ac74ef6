// SSL 3.0 (RFC 6101): the nested MD5/SHA-1 constructions that TLS replaced
// with the PRF (RFC 2246 §5) and HMAC. Kept to read old captures and to show
// what POODLE-era SSL computed.
#include "tlslab/crypto/Ssl3KeySchedule.hpp"

#include <algorithm>
#include <string>

namespace tlslab::crypto {
namespace {

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// pad_1 / pad_2 are 48 bytes for MD5 and 40 for SHA-1 (RFC 6101 §5.2.3.1).
std::size_t padLength(HashAlg alg) { return alg == HashAlg::Md5 ? 48 : 40; }

}  // namespace

Bytes ssl3HashStream(ByteView secret, ByteView seed, std::size_t length) {
  Bytes out;
  // 26 letters give 26 * 16 bytes; no suite needs more than 6 rounds.
  for (std::size_t round = 1; out.size() < length && round <= 26; ++round) {
    const Bytes salt(round, static_cast<std::uint8_t>('A' + round - 1));
    const Bytes inner = digest(HashAlg::Sha1, concat({salt, secret, seed}));
    const Bytes outer = digest(HashAlg::Md5, concat({secret, inner}));
    out.insert(out.end(), outer.begin(), outer.end());
  }
  out.resize(std::min(out.size(), length));
  return out;
}

model::DerivationStep ssl3MasterSecret(ByteView pms, ByteView clientRandom, ByteView serverRandom) {
  model::DerivationStep step;
  step.name = "master_secret";
  step.node = model::ScheduleNode::Tls12MasterSecret;
  step.function = "MD5(pms + SHA(\"A\" + pms + randoms)) + MD5(pms + SHA(\"BB\" + pms + randoms)) + "
                  "MD5(pms + SHA(\"CCC\" + pms + randoms))";
  const Bytes seed = concat({clientRandom, serverRandom});
  step.inputs = {{"pre_master_secret", Bytes(pms.begin(), pms.end())},
                 {"randoms = ClientHello.random + ServerHello.random", seed}};
  step.output = ssl3HashStream(pms, seed, 48);
  step.rfc = "RFC 6101 §6.1";
  step.note = "SSL 3.0: no PRF and no HMAC; nested SHA-1 inside MD5 with the salts \"A\", \"BB\", \"CCC\" "
              "(TLS 1.0 replaced this with P_MD5 XOR P_SHA-1, RFC 2246 §5)";
  return step;
}

Result<Tls12KeyBlock> ssl3KeyBlock(const CipherSuite& suite, ByteView master, ByteView clientRandom,
                                   ByteView serverRandom) {
  if (suite.tls13() || isAead(suite.cipher))
    return fail(std::string(suite.name) + " does not exist in SSL 3.0 (no AEAD or TLS 1.3 suites)");
  if (master.size() != 48) return fail("master secret must be 48 bytes, got " + std::to_string(master.size()));
  const std::size_t length = tls12KeyBlockLength(suite, kSsl30);
  model::DerivationStep step;
  step.name = "key_block";
  step.node = model::ScheduleNode::KeyBlock;
  step.function = "MD5(master + SHA(\"A\" + master + randoms)) + MD5(master + SHA(\"BB\" + master + randoms)) + ..., "
                  "first " + std::to_string(length) + " bytes";
  const Bytes seed = concat({serverRandom, clientRandom});
  step.inputs = {{"master_secret", Bytes(master.begin(), master.end())},
                 {"randoms = ServerHello.random + ClientHello.random", seed}};
  step.output = ssl3HashStream(master, seed, length);
  step.rfc = "RFC 6101 §6.2.2";
  return splitTls12KeyBlock(suite, kSsl30, std::move(step), "RFC 6101 §6.2.2");
}

model::DerivationStep ssl3VerifyData(ByteView master, bool fromClient, ByteView handshakeMessages) {
  // Sender: "CLNT" or "SRVR" as 4 bytes (RFC 6101 §5.6.9).
  const Bytes sender = fromClient ? Bytes{0x43, 0x4C, 0x4E, 0x54} : Bytes{0x53, 0x52, 0x56, 0x52};
  model::DerivationStep step;
  step.name = fromClient ? "client Finished verify_data" : "server Finished verify_data";
  step.node = fromClient ? model::ScheduleNode::ClientVerifyData : model::ScheduleNode::ServerVerifyData;
  step.function = "MD5(master + pad2 + MD5(handshake_messages + Sender + master + pad1)) + "
                  "SHA(master + pad2 + SHA(handshake_messages + Sender + master + pad1))";
  for (HashAlg alg : {HashAlg::Md5, HashAlg::Sha1}) {
    const Bytes pad1(padLength(alg), 0x36), pad2(padLength(alg), 0x5c);
    const Bytes inner = digest(alg, concat({handshakeMessages, sender, master, pad1}));
    const Bytes outer = digest(alg, concat({master, pad2, inner}));
    step.output.insert(step.output.end(), outer.begin(), outer.end());
  }
  step.inputs = {{"master_secret", Bytes(master.begin(), master.end())},
                 {std::string("Sender = \"") + (fromClient ? "CLNT" : "SRVR") + "\"", sender},
                 {"MD5(handshake_messages) (for reference; the messages themselves go in, " +
                      std::to_string(handshakeMessages.size()) + " bytes)",
                  digest(HashAlg::Md5, handshakeMessages)}};
  step.rfc = "RFC 6101 §5.6.9";
  step.note = "36 bytes (MD5 then SHA-1), not TLS's 12-byte PRF output; the master secret is hashed in with the "
              "SSL 3.0 pads 0x36 and 0x5c";
  return step;
}

Bytes ssl3Mac(HashAlg alg, ByteView macSecret, ByteView header, std::initializer_list<ByteView> data) {
  const Bytes pad1(padLength(alg), 0x36), pad2(padLength(alg), 0x5c);
  Bytes innerInput = concat({macSecret, pad1, header});
  for (ByteView d : data) innerInput.insert(innerInput.end(), d.begin(), d.end());
  const Bytes inner = digest(alg, innerInput);
  return digest(alg, concat({macSecret, pad2, inner}));
}

}  // namespace tlslab::crypto
