// Lab 9's TLS 1.3 chain, from the student's own run and its client's
// ephemeral key (RFC 8446 §7.1, §7.3, §4.4.4, §5.3):
//
//   shared secret     = ECDH(client ephemeral private key, server key share)
//   handshake_secret  = HKDF-Extract(Derive-Secret(early_secret, "derived", ""), shared secret)
//   c hs traffic      = Derive-Secret(handshake_secret, "c hs traffic", ClientHello..ServerHello)
//   key, iv           = HKDF-Expand-Label(traffic secret, "key" | "iv", "", length)
//   verify_data       = HMAC(HKDF-Expand-Label(c hs traffic, "finished", "", Hash.length),
//                            Transcript-Hash(ClientHello..server Finished))
//   master_secret     = HKDF-Extract(Derive-Secret(handshake_secret, "derived", ""), 0)
//   c ap traffic 0    = Derive-Secret(master_secret, "c ap traffic", ClientHello..server Finished)
//   nonce             = client_application_iv XOR sequence number (left-padded)
//
// The right values are the dissector's (it runs the schedule from the
// ephemeral key and checks each secret against the Finished it opens);
// the mistakes are computed here.
#include <fmt/core.h>

#include <map>

#include "Lab09Keys.hpp"
#include "RecordedRuns.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/Kdf.hpp"

namespace tlslab::course::lab09 {
namespace {

using crypto::HashAlg;

Chain problem(std::string what, std::string hint) {
  Chain chain;
  chain.problem = std::move(what);
  chain.hint = std::move(hint);
  return chain;
}

const model::DerivationStep* stepOf(const model::TraceConnection& c, std::string_view name) {
  for (const auto& s : c.derivation)
    if (s.name == name) return &s;
  return nullptr;
}

Bytes inputOf(const model::DerivationStep& step, std::string_view label) {
  for (const auto& in : step.inputs)
    if (in.label == label) return in.bytes;
  return {};
}

Bytes xorSequence(Bytes iv, std::uint64_t sequence, bool rightEnd = true) {
  for (std::size_t i = 0; i < 8 && i < iv.size(); ++i) {
    const std::size_t at = rightEnd ? iv.size() - 1 - i : 7 - i;
    iv[at] ^= static_cast<std::uint8_t>(sequence >> (8 * i));
  }
  return iv;
}

// The client's record carrying `body`, under the application key.
const model::TraceRecord* recordWith(const model::TraceConnection& c, const std::string& body) {
  for (const auto& r : c.records) {
    const std::string text(r.plaintext.begin(), r.plaintext.end());
    if (r.direction == model::Direction::ClientToServer && r.keyPhase == model::KeyPhase::application() && r.crypto &&
        text.find(body) != std::string::npos)
      return &r;
  }
  return nullptr;
}

}  // namespace

Chain tls13Chain(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  const std::string redo = "`tlslab lab start 9` makes your materials again (your answers stay)";
  keys::KeyStore store;
  auto loaded = store.addEphemeralKeyFile(env.workspace / kTls13EphemeralKeys);
  if (!loaded)
    return problem(std::string(kTls13EphemeralKeys) + " cannot be read: " + loaded.error(), redo);
  if (store.ephemeralKeys().empty())
    return problem(std::string(kTls13EphemeralKeys) + " holds no key" +
                       (loaded->empty() ? std::string() : " (" + loaded->front().where + ": " + loaded->front().message + ")"),
                   redo);
  const std::string group = store.ephemeralKeys().front().pair.group;
  std::string why;
  auto trace = dissectMaterial(env.workspace, kTls13Capture, store, why);
  if (!trace) return problem(why, redo);
  const model::TraceConnection* c = trace->connections.size() == 1 ? &trace->connections[0] : nullptr;
  const model::DerivationStep* shared = c ? stepOf(*c, "(EC)DHE shared secret") : nullptr;
  const model::TraceRecord* record = c ? recordWith(*c, values.bodies[values.record]) : nullptr;
  if (!c || c->negotiated.sni != values.host || !shared || shared->status == model::StepStatus::NotDerivable || !record)
    return problem(std::string(kTls13Capture) + " and " + kTls13EphemeralKeys +
                       " are not the ones made for you, or the key does not belong to the capture (your server is " +
                       values.host + ")",
                   "`tlslab lab start 9 --force` makes your own materials again");
  const crypto::CipherSuite* suite = crypto::findSuite(c->negotiated.suite);
  const char* names[] = {"handshake_secret", "client_handshake_traffic_secret", "server_handshake_traffic_secret",
                         "client handshake write key", "client handshake write iv", "server handshake write key",
                         "server handshake write iv", "client finished_key", "client verify_data", "server verify_data",
                         "derived (for handshake secret)", "early_secret", "derived (for master secret)", "master_secret",
                         "client_application_traffic_secret_0", "server_application_traffic_secret_0",
                         "client application write key", "client application write iv", "server application write key",
                         "server application write iv", "resumption_master_secret"};
  std::map<std::string, const model::DerivationStep*> s;
  for (const char* name : names)
    if (!(s[name] = stepOf(*c, name)) || s[name]->output.empty())
      return problem(std::string(kTls13Capture) + ": the dissector could not derive " + name, redo);
  if (!suite) return problem(std::string(kTls13Capture) + ": unknown cipher suite", redo);

  const HashAlg hash = suite->prfHash, other = hash == HashAlg::Sha384 ? HashAlg::Sha256 : HashAlg::Sha384;
  const std::string h = hash == HashAlg::Sha384 ? "sha384" : "sha256", hOther = h == "sha384" ? "SHA-256" : "SHA-384";
  const std::string hName = h == "sha384" ? "SHA-384" : "SHA-256";
  const std::size_t len = crypto::digest(hash, {}).size(), keyLen = suite->keyLength, ivLen = suite->fixedIvLength;
  auto out = [&](const char* name) { return s[name]->output; };
  const Bytes thHello = inputOf(*s["client_handshake_traffic_secret"], "Transcript-Hash(ClientHello..ServerHello)");
  const Bytes thServerFin = inputOf(*s["client verify_data"], "Transcript-Hash(ClientHello..server Finished)");
  const Bytes thClientFin = inputOf(*s["resumption_master_secret"], "Transcript-Hash(ClientHello..client Finished)");
  const Bytes zeros(len, 0);
  auto label = [&](ByteView secret, std::string_view l, ByteView context, std::size_t n, HashAlg alg) {
    return crypto::hkdfExpandLabelRaw(alg, secret, l, context, n);
  };
  const std::string twice = "a label with \"tls13 \" twice: `tlslab keys derive` adds the prefix itself";
  const std::string wrongHash = "HKDF-Expand-Label with " + hOther + ": this suite's hash is " + hName;

  Chain chain;
  chain.values.push_back(
      {"tls13_shared_secret", "(EC)DHE shared secret", "ECDH(client ephemeral private key, server key share)",
       "RFC 8446 §7.4.2", {}, "the client's private key from tls13.ephemeral-keys and the server's key share from the ServerHello",
       fmt::format("tlslab keys pem --group {0} --private CLIENT_PRIVATE_KEY --public CLIENT_KEY_SHARE --out "
                   "client-ephemeral.pem; tlslab keys pem --group {0} --public SERVER_KEY_SHARE --out server-key-share.pem; "
                   "openssl pkeyutl -derive -inkey client-ephemeral.pem -peerkey server-key-share.pem",
                   group),
       shared->output,
       {{inputOf(*shared, "server key share (public)"), "the server's key share: the shared secret is ECDH of it with the client's private key"},
        {inputOf(*shared, "client key share (public)"), "the client's own key share (public): ECDH takes the PEER's share"},
        {inputOf(*shared, "client ephemeral private key"), "the client's private key itself"}}});
  chain.values.push_back(
      {"tls13_handshake_secret", "handshake_secret", "HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), shared secret)",
       "RFC 8446 §7.1", {"tls13_shared_secret"}, "early_secret = HKDF-Extract(0, zeros) without a PSK",
       fmt::format("tlslab keys derive hkdf-extract --hash {} --salt DERIVED --ikm SHARED_SECRET, where DERIVED = "
                   "derive-secret --secret EARLY_SECRET --label derived --messages \"\"", h),
       out("handshake_secret"),
       {{crypto::hkdfExtractRaw(hash, {}, shared->output), "HKDF-Extract without a salt: the salt is Derive-Secret(early_secret, \"derived\", \"\")"},
        {crypto::hkdfExtractRaw(hash, out("early_secret"), shared->output),
         "HKDF-Extract with early_secret itself as the salt: the salt is Derive-Secret(early_secret, \"derived\", \"\")"},
        {crypto::hkdfExtractRaw(hash, shared->output, out("derived (for handshake secret)")),
         "HKDF-Extract with salt and IKM swapped: the salt is \"derived\", the IKM the shared secret"}}});
  chain.values.push_back(
      {"tls13_client_handshake_traffic_secret", "client_handshake_traffic_secret",
       "Derive-Secret(handshake_secret, \"c hs traffic\", ClientHello..ServerHello)", "RFC 8446 §7.1", {"tls13_handshake_secret"},
       "the transcript hash of ClientHello and ServerHello",
       fmt::format("tlslab keys derive derive-secret --hash {} --secret HANDSHAKE_SECRET --label \"c hs traffic\" "
                   "--transcript-hash HASH_OF_CLIENTHELLO_SERVERHELLO", h),
       out("client_handshake_traffic_secret"),
       {{out("server_handshake_traffic_secret"), "the server's handshake traffic secret (\"s hs traffic\"): the client's is \"c hs traffic\""},
        {label(out("handshake_secret"), "tls13 c hs traffic", thHello, len, hash), twice},
        {label(out("handshake_secret"), "c hs traffic", thServerFin, len, hash),
         "Derive-Secret over ClientHello..server Finished: the handshake secrets hash ClientHello..ServerHello"}}});
  auto keyIv = [&](const char* key, const char* what, const char* secretKey, const char* secretStep, const char* clientStep,
                   const char* serverStep, const char* l, std::size_t n) {
    const Bytes& secret = out(secretStep);
    chain.values.push_back(
        {key, fmt::format("client {} write {}", what, l), fmt::format("HKDF-Expand-Label({}, \"{}\", \"\", {})", secretStep, l, n),
         "RFC 8446 §7.3", {secretKey}, "",
         fmt::format("tlslab keys derive hkdf-expand-label --hash {} --secret TRAFFIC_SECRET --label {} --length {}", h, l, n),
         out(clientStep),
         {{out(serverStep), fmt::format("the server's {} write {}: yours is made from the client's traffic secret", what, l)},
          {label(secret, l, {}, n, other), wrongHash},
          {label(secret, std::string("tls13 ") + l, {}, n, hash), twice}}});
  };
  keyIv("tls13_client_handshake_key", "handshake", "tls13_client_handshake_traffic_secret", "client_handshake_traffic_secret",
        "client handshake write key", "server handshake write key", "key", keyLen);
  keyIv("tls13_client_handshake_iv", "handshake", "tls13_client_handshake_traffic_secret", "client_handshake_traffic_secret",
        "client handshake write iv", "server handshake write iv", "iv", ivLen);
  const Bytes& chts = out("client_handshake_traffic_secret");
  chain.values.push_back(
      {"tls13_client_verify_data", "client verify_data",
       "HMAC(finished_key, Transcript-Hash(ClientHello..server Finished)), finished_key = "
       "HKDF-Expand-Label(client_handshake_traffic_secret, \"finished\", \"\", Hash.length)",
       "RFC 8446 §4.4.4", {"tls13_client_handshake_traffic_secret"}, "the transcript hash of ClientHello..server Finished",
       fmt::format("tlslab keys derive hmac --hash {} --key FINISHED_KEY --data HASH_OF_CLIENTHELLO_TO_SERVER_FINISHED", h),
       out("client verify_data"),
       {{out("server verify_data"), "the server's verify_data: the client's is keyed from the client's handshake secret"},
        {out("client finished_key"), "the client's finished_key: verify_data is the HMAC it keys"},
        {crypto::hmac(hash, chts, thServerFin), "HMAC keyed with client_handshake_traffic_secret itself: the key is finished_key"},
        {crypto::hmac(hash, out("client finished_key"), thHello),
         "HMAC over ClientHello..ServerHello: the client's Finished covers ClientHello..server Finished"}}});
  chain.values.push_back(
      {"tls13_master_secret", "master_secret", "HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), 0)",
       "RFC 8446 §7.1", {"tls13_handshake_secret"}, "Hash.length zero bytes as the IKM",
       fmt::format("tlslab keys derive hkdf-extract --hash {} --salt DERIVED --ikm ZEROS ({} zero bytes), where DERIVED = derive-secret "
                   "--secret HANDSHAKE_SECRET --label derived --messages \"\"", h, len),
       out("master_secret"),
       {{crypto::hkdfExtractRaw(hash, out("handshake_secret"), zeros),
         "HKDF-Extract with handshake_secret itself as the salt: the salt is Derive-Secret(handshake_secret, \"derived\", \"\")"},
        {crypto::hkdfExtractRaw(hash, out("derived (for master secret)"), shared->output),
         "HKDF-Extract of the shared secret again: the master secret's IKM is Hash.length zeros"}}});
  const Bytes& master = out("master_secret");
  chain.values.push_back(
      {"tls13_client_application_traffic_secret", "client_application_traffic_secret_0",
       "Derive-Secret(master_secret, \"c ap traffic\", ClientHello..server Finished)", "RFC 8446 §7.1", {"tls13_master_secret"},
       "the transcript hash of ClientHello..server Finished",
       fmt::format("tlslab keys derive derive-secret --hash {} --secret MASTER_SECRET --label \"c ap traffic\" "
                   "--transcript-hash HASH_OF_CLIENTHELLO_TO_SERVER_FINISHED", h),
       out("client_application_traffic_secret_0"),
       {{out("server_application_traffic_secret_0"), "the server's application traffic secret (\"s ap traffic\"): the client's is \"c ap traffic\""},
        {label(master, "tls13 c ap traffic", thServerFin, len, hash), twice},
        {label(master, "c ap traffic", thHello, len, hash),
         "Derive-Secret over ClientHello..ServerHello: the application secrets hash ClientHello..server Finished"},
        {label(master, "c ap traffic", thClientFin, len, hash),
         "Derive-Secret over ClientHello..client Finished: the application secrets hash up to the server's Finished"}}});
  keyIv("tls13_client_application_key", "application", "tls13_client_application_traffic_secret",
        "client_application_traffic_secret_0", "client application write key", "server application write key", "key", keyLen);
  keyIv("tls13_client_application_iv", "application", "tls13_client_application_traffic_secret",
        "client_application_traffic_secret_0", "client application write iv", "server application write iv", "iv", ivLen);

  const std::uint64_t seq = record->crypto->sequence;
  const Bytes& iv = out("client application write iv");
  ChainValue nonce{"tls13_record_nonce", "nonce", "client_application_iv XOR the record's sequence number, left-padded to the IV's length",
                   "RFC 8446 §5.3", {"tls13_client_application_iv"}, "the sequence number counts the client's application records from 0",
                   "the IV with the 64-bit sequence number XORed into its last 8 bytes", record->crypto->nonce,
                   {{iv, "the IV itself: every record's nonce is the IV XOR its sequence number"},
                    {xorSequence(out("client handshake write iv"), seq),
                     "made from the client's handshake IV: application records use the application IV"},
                    {xorSequence(iv, seq, false), "the sequence number XORed into the IV's first bytes: it is padded on the left"}}};
  for (std::uint64_t n = 0; n < kRequests + 3; ++n)
    if (n != seq)
      nonce.mistakes.push_back({xorSequence(iv, n), fmt::format("the nonce of sequence number {}: the client's records "
                                                                    "under its application key count from 0, one per record",
                                                                    n)});
  chain.values.push_back(std::move(nonce));
  chain.values.push_back(
      {"tls13_record_plaintext", "record content", "AEAD-Decrypt(client_application_key, nonce, header, fragment)",
       "RFC 8446 §5.2", {"tls13_client_application_key", "tls13_record_nonce"},
       "the record's 5-byte header as additional data, its fragment (tag last) as ciphertext",
       fmt::format("tlslab keys aead-decrypt --cipher {} --key KEY --nonce NONCE --aad HEADER --ciphertext FRAGMENT",
                   suite->name),
       record->plaintext});
  return chain;
}

// The record's TLSInnerPlaintext (content, content type, padding) as aead-decrypt prints it.
Bytes tls13InnerPlaintext(const CheckEnv& env) {
  const Values values = valuesOf(*env.variant);
  keys::KeyStore store;
  if (!store.addEphemeralKeyFile(env.workspace / kTls13EphemeralKeys)) return {};
  std::string why;
  auto trace = dissectMaterial(env.workspace, kTls13Capture, store, why);
  if (!trace || trace->connections.size() != 1) return {};
  const model::TraceRecord* record = recordWith(trace->connections[0], values.bodies[values.record]);
  if (!record) return {};
  Bytes inner = record->plaintext;
  inner.push_back(record->innerContentType);
  inner.insert(inner.end(), record->crypto->padding.begin(), record->crypto->padding.end());
  return inner;
}

}  // namespace tlslab::course::lab09
