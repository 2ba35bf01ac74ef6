#include "tlslab/crypto/Tls12KeySchedule.hpp"

#include "tlslab/crypto/Kdf.hpp"

namespace tlslab::crypto {
namespace {

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

HashAlg tls12PrfHash(const CipherSuite& suite, std::uint16_t version) {
  return version < kTls12 ? HashAlg::Md5Sha1 : suite.prfHash;
}

model::DerivationStep tls12MasterSecret(HashAlg prfHash, ByteView pms, ByteView clientRandom,
                                        ByteView serverRandom) {
  auto step = prf(prfHash, pms, "master secret", concat(clientRandom, serverRandom), 48, "master_secret");
  step.inputs[0].label = "pre_master_secret";
  step.inputs[2].label = "seed = ClientHello.random + ServerHello.random";
  step.rfc = prfHash == HashAlg::Md5Sha1 ? "RFC 2246 §8.1" : "RFC 5246 §8.1";
  step.node = model::ScheduleNode::Tls12MasterSecret;
  return step;
}

model::DerivationStep tls12ExtendedMasterSecret(HashAlg prfHash, ByteView pms, ByteView sessionHash) {
  auto step = prf(prfHash, pms, "extended master secret", sessionHash, 48, "master_secret (extended)");
  step.inputs[0].label = "pre_master_secret";
  step.inputs[2].label = "session_hash = Hash(ClientHello..ClientKeyExchange)";
  step.rfc = "RFC 7627 §4";
  step.note = "extended master secret: bound to the whole handshake, not just the randoms";
  step.node = model::ScheduleNode::Tls12MasterSecret;
  return step;
}

std::size_t tls12KeyBlockLength(const CipherSuite& suite, std::uint16_t version) {
  // TLS 1.1+ CBC suites send the IV per record; the key block still holds
  // the IV slots only for TLS 1.0 and SSL 3.0 (RFC 4346 §6.3 dropped them).
  const std::size_t ivLen = (isCbc(suite.cipher) && explicitCbcIv(version)) ? 0 : suite.fixedIvLength;
  return 2 * (suite.macLength + suite.keyLength + ivLen);
}

Result<Tls12KeyBlock> tls12KeyBlock(const CipherSuite& suite, std::uint16_t version, ByteView master,
                                    ByteView clientRandom, ByteView serverRandom) {
  if (suite.tls13()) return fail(std::string(suite.name) + " is a TLS 1.3 suite: no key block");
  if (master.size() != 48) return fail("master secret must be 48 bytes, got " + std::to_string(master.size()));
  model::DerivationStep step = prf(tls12PrfHash(suite, version), master, "key expansion",
                                   concat(serverRandom, clientRandom), tls12KeyBlockLength(suite, version), "key_block");
  step.inputs[0].label = "master_secret";
  step.inputs[2].label = "seed = ServerHello.random + ClientHello.random";
  step.rfc = "RFC 5246 §6.3";
  step.node = model::ScheduleNode::KeyBlock;
  return splitTls12KeyBlock(suite, version, std::move(step), "RFC 5246 §6.3");
}

Tls12KeyBlock splitTls12KeyBlock(const CipherSuite& suite, std::uint16_t version, model::DerivationStep blockStep,
                                 const std::string& rfc) {
  const bool cbc = isCbc(suite.cipher);
  const std::size_t ivLen = (cbc && explicitCbcIv(version)) ? 0 : suite.fixedIvLength;
  Tls12KeyBlock out;
  out.steps.push_back(std::move(blockStep));
  const Bytes block = out.steps.back().output;
  std::size_t at = 0;
  using N = model::ScheduleNode;
  auto take = [&](std::size_t n, const char* name, N node) {
    if (at + n > block.size()) n = block.size() - at;  // a short block: the caller's length was wrong
    Bytes part(block.begin() + static_cast<std::ptrdiff_t>(at), block.begin() + static_cast<std::ptrdiff_t>(at + n));
    model::DerivationStep step;
    step.name = name;
    step.function = "key_block[" + std::to_string(at) + ".." + std::to_string(at + n) + ")";
    step.inputs = {{"key_block", block}};
    step.output = part;
    step.rfc = rfc;
    step.node = node;
    // Two hex digits per byte: bytes [at, at+n) are characters 2*at+1 .. 2*(at+n).
    step.command = "echo " + toHex(block) + " | cut -c " + std::to_string(2 * at + 1) + "-" + std::to_string(2 * (at + n));
    if (n > 0) out.steps.push_back(step);
    at += n;
    return part;
  };
  out.client.macKey = take(suite.macLength, "client_write_MAC_key", N::ClientMacKey);
  out.server.macKey = take(suite.macLength, "server_write_MAC_key", N::ServerMacKey);
  out.client.key = take(suite.keyLength, "client_write_key", N::ClientWriteKey);
  out.server.key = take(suite.keyLength, "server_write_key", N::ServerWriteKey);
  out.client.iv = take(ivLen, isAead(suite.cipher) ? "client_write_IV (salt)" : "client_write_IV", N::ClientWriteIv);
  out.server.iv = take(ivLen, isAead(suite.cipher) ? "server_write_IV (salt)" : "server_write_IV", N::ServerWriteIv);
  if (cbc && explicitCbcIv(version)) {
    // RecordCipher wants an IV of the suite's length; unused for TLS 1.1+.
    out.client.iv.assign(suite.fixedIvLength, 0);
    out.server.iv.assign(suite.fixedIvLength, 0);
  }
  return out;
}

model::DerivationStep tls12VerifyData(HashAlg prfHash, ByteView master, bool fromClient, ByteView handshakeHash) {
  auto step = prf(prfHash, master, fromClient ? "client finished" : "server finished", handshakeHash, 12,
                  fromClient ? "client Finished verify_data" : "server Finished verify_data");
  step.inputs[0].label = "master_secret";
  step.inputs[2].label = "Hash(handshake messages)";
  step.rfc = prfHash == HashAlg::Md5Sha1 ? "RFC 2246 §7.4.9" : "RFC 5246 §7.4.9";
  step.node = fromClient ? model::ScheduleNode::ClientVerifyData : model::ScheduleNode::ServerVerifyData;
  return step;
}

model::DerivationStep tls12PskPreMasterSecret(KeyExchange kx, ByteView otherSecret, ByteView psk,
                                             const std::string& otherFrom, const std::string& pskFrom) {
  model::DerivationStep step;
  step.name = "pre_master_secret";
  step.node = model::ScheduleNode::PreMasterSecret;
  step.function = "uint16(len(other_secret)) + other_secret + uint16(len(psk)) + psk";
  const Bytes plainOther(psk.size(), 0);
  const ByteView other = kx == KeyExchange::Psk ? ByteView(plainOther) : otherSecret;
  auto length16 = [](Bytes& out, std::size_t n) {
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  };
  length16(step.output, other.size());
  step.output.insert(step.output.end(), other.begin(), other.end());
  length16(step.output, psk.size());
  step.output.insert(step.output.end(), psk.begin(), psk.end());
  step.inputs = {{"other_secret (" + otherFrom + ")", Bytes(other.begin(), other.end())},
                 {"psk (" + pskFrom + ")", Bytes(psk.begin(), psk.end())}};
  switch (kx) {
    case KeyExchange::Psk:
      step.rfc = "RFC 4279 §2";
      step.note = "plain PSK: other_secret is " + std::to_string(psk.size()) +
                  " zero bytes, so the PSK alone makes every key: whoever knows it decrypts every recorded session "
                  "(no forward secrecy)";
      break;
    case KeyExchange::RsaPsk:
      step.rfc = "RFC 4279 §4";
      step.note = "RSA_PSK: other_secret is the RSA-encrypted 48-byte secret; the session needs both the server's RSA "
                  "key (or a key log) and the PSK, and has no forward secrecy";
      break;
    case KeyExchange::DhePsk:
      step.rfc = "RFC 4279 §3";
      step.note = "DHE_PSK: other_secret is the ephemeral DH result, so a later leak of the PSK alone does not open "
                  "recorded sessions";
      break;
    case KeyExchange::EcdhePsk:
      step.rfc = "RFC 5489 §2";
      step.note = "ECDHE_PSK: other_secret is the ephemeral ECDH result (its x coordinate), so a later leak of the PSK "
                  "alone does not open recorded sessions";
      break;
    default: step.rfc = "RFC 4279 §2"; break;
  }
  return step;
}

model::DerivationStep tls12ForwardSecrecyStep(const CipherSuite& suite) {
  model::DerivationStep step;
  step.name = "pre_master_secret";
  step.node = model::ScheduleNode::PreMasterSecret;
  step.function = std::string(keyExchangeName(suite.kx)) + " key agreement";
  step.rfc = "RFC 5246 §8.1.2; RFC 8422 §5.10";
  step.status = model::StepStatus::NotDerivable;
  step.note = std::string(suite.name) +
              " uses ephemeral (EC)DHE: the pre-master secret is computed from private keys that never "
              "leave the endpoints and are thrown away (forward secrecy). The server's RSA key only signs; "
              "it cannot decrypt this session. Only a key log from an endpoint can, or the endpoint's own ephemeral "
              "key (a lab run keeps it beside its capture, never in it: --ephemeral-keys).";
  if (usesPsk(suite.kx))
    step.note = std::string(suite.name) +
                " mixes the PSK with an ephemeral (EC)DH result (forward secrecy): the PSK alone does not give the "
                "pre-master secret; a key log from an endpoint does, or the endpoint's own ephemeral key with the PSK "
                "(--ephemeral-keys with --psk).";
  return step;
}

}  // namespace tlslab::crypto
