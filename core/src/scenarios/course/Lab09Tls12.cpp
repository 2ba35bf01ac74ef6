// Lab 9's TLS 1.2 chain, from a capture and its key log only: the master
// secret is given (CLIENT_RANDOM line), everything after it is derived:
//
//   key_block   = PRF(master_secret, "key expansion", server_random + client_random)   RFC 5246 §6.3
//               = client_write_MAC_key | server_write_MAC_key | client_write_key | server_write_key
//                 | client_write_IV | server_write_IV    (no MAC keys with an AEAD suite)
//   verify_data = PRF(master_secret, "client finished", Hash(handshake_messages))[0..11]   RFC 5246 §7.4.9
#include <fmt/core.h>

#include "Lab09Keys.hpp"
#include "RecordedRuns.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Kdf.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/Tls12KeySchedule.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course::lab09 {
namespace {

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Chain problem(std::string what, std::string hint) {
  Chain chain;
  chain.problem = std::move(what);
  chain.hint = std::move(hint);
  return chain;
}

// The handshake messages a Finished covers (RFC 5246 §7.4.9): every one before
// it (the client's: `finished` 0; the server's: 1, its own transcript then
// holds the client's Finished), ChangeCipherSpec excluded (not a handshake message).
Bytes handshakeMessages(const model::TraceConnection& c, int finished, bool withClientKeyExchange) {
  Bytes all;
  for (const auto& m : c.messages) {
    if (m.handshakeType < 0) continue;
    if (m.name == "Finished" && finished-- == 0) break;
    if (!withClientKeyExchange && m.name == "ClientKeyExchange") continue;
    all.insert(all.end(), m.bytes.begin(), m.bytes.end());
  }
  return all;
}

}  // namespace

Chain tls12Chain(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string redo = "`tlslab lab start 9` makes your materials again (your answers stay)";
  keys::KeyStore store;
  if (auto loaded = store.addKeyLogFile(env.workspace / kTls12KeyLog); !loaded)
    return problem(std::string(kTls12KeyLog) + " cannot be read: " + loaded.error(), redo);
  std::string why;
  auto trace = dissectMaterial(env.workspace, kTls12Capture, store, why);
  if (!trace) return problem(why, redo);
  if (trace->connections.size() != 1 || trace->connections[0].negotiated.sni != values.host ||
      clientPlaintext(trace->connections[0]).find(values.tls12Note) == std::string::npos)
    return problem(std::string(kTls12Capture) + " and " + kTls12KeyLog + " are not the ones made for you (your server is " +
                       values.host + ")",
                   "`tlslab lab start 9 --force` makes your own materials again");
  const model::TraceConnection& c = trace->connections[0];
  const crypto::CipherSuite* suite = crypto::findSuite(c.negotiated.suite);
  const keys::SessionSecrets* secrets = store.findByClientRandom(c.clientRandom);
  if (!suite || !secrets || !secrets->masterSecret) return problem("the key log has no master secret for tls12.pcapng", redo);
  const Bytes& master = *secrets->masterSecret;
  auto block = crypto::tls12KeyBlock(*suite, crypto::kTls12, master, c.clientRandom, c.serverRandom);
  if (!block) return problem("the key block cannot be derived: " + block.error(), redo);
  const crypto::HashAlg prfHash = crypto::tls12PrfHash(*suite, crypto::kTls12);
  const std::string hash = prfHash == crypto::HashAlg::Sha384 ? "sha384" : "sha256";
  const std::size_t blockLength = block->steps.front().output.size();
  const Bytes reversedSeed = crypto::prfRaw(prfHash, master, "key expansion", concat(c.clientRandom, c.serverRandom), blockLength);
  const Bytes transcript = crypto::digest(prfHash, handshakeMessages(c, 0, true));
  const Bytes withoutCke = crypto::digest(prfHash, handshakeMessages(c, 0, false));
  const Bytes serverTranscript = crypto::digest(prfHash, handshakeMessages(c, 1, true));
  const std::size_t key = suite->keyLength, iv = suite->fixedIvLength;

  Chain chain;
  chain.values.push_back(
      {"tls12_key_block", "key_block", "PRF(master_secret, \"key expansion\", server_random + client_random)",
       "RFC 5246 §6.3", {}, "master_secret from tls12.keylog, both randoms from the hellos",
       fmt::format("tlslab keys derive prf --hash {} --secret MASTER_SECRET --label \"key expansion\" --seed "
                   "SERVER_RANDOM+CLIENT_RANDOM --length {}", hash, blockLength),
       block->steps.front().output,
       {{reversedSeed, "PRF with the randoms the other way round: the key block's seed is server_random first, "
                       "the master secret's client_random first"}}});
  chain.values.push_back({"tls12_client_write_key", "client_write_key",
                          fmt::format("key_block[0..{}) (an AEAD suite has no MAC keys before it)", key), "RFC 5246 §6.3",
                          {"tls12_key_block"}, "", fmt::format("the first {} bytes of KEY_BLOCK", key), block->client.key,
                          {{block->server.key, "the server's write key: the client's comes first"}}});
  chain.values.push_back({"tls12_client_write_iv", "client_write_IV",
                          fmt::format("key_block[{}..{}), after both write keys", 2 * key, 2 * key + iv), "RFC 5246 §6.3",
                          {"tls12_key_block"}, "", fmt::format("{} bytes of KEY_BLOCK after both keys", iv),
                          block->client.iv, {{block->server.iv, "the server's write IV: the client's comes first"}}});
  chain.values.push_back(
      {"tls12_client_verify_data", "client verify_data",
       "PRF(master_secret, \"client finished\", Hash(handshake messages before the client's Finished))[0..11]",
       "RFC 5246 §7.4.9", {}, "master_secret from tls12.keylog, the handshake messages from the capture",
       fmt::format("tlslab keys derive prf --hash {} --secret MASTER_SECRET --label \"client finished\" --seed "
                   "HANDSHAKE_HASH --length 12", hash),
       crypto::tls12VerifyData(prfHash, master, true, transcript).output,
       {{crypto::tls12VerifyData(prfHash, master, false, serverTranscript).output,
         "the server's verify_data (label \"server finished\", its transcript ends with the client's Finished)"},
        {crypto::tls12VerifyData(prfHash, master, false, transcript).output,
         "PRF with the label \"server finished\": the client's Finished uses \"client finished\""},
        {crypto::tls12VerifyData(prfHash, master, true, withoutCke).output,
         "computed over a transcript without the ClientKeyExchange: every handshake message before the Finished counts"}}});
  return chain;
}

}  // namespace tlslab::course::lab09
