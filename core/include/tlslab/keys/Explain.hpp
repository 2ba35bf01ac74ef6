#pragma once
// The derivation chain of one session, from what a key log (or an
// instrumented run) gives plus whatever the handshake revealed. With a key log
// alone this shows the logged secrets and what follows from them (TLS 1.3:
// traffic keys and IVs, finished keys, the next KeyUpdate generation); the
// steps above them are explicit NotDerivable nodes (forward secrecy). With the
// handshake (randoms, suite, transcript hashes, received Finished), supplied
// by the capture/dissect code, the chain is complete and the Finished
// messages are verified.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/KeyAgreement.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Derivation.hpp"

namespace tlslab::keys {

struct SessionContext {
  std::optional<std::uint16_t> suite;    // negotiated cipher suite
  std::optional<std::uint16_t> version;  // 0x0300..0x0304; default from the secrets
  Bytes serverRandom;                    // TLS 1.2: key block seed
  bool extendedMasterSecret = false;     // RFC 7627 negotiated
  Bytes sessionHash;                     // RFC 7627 session_hash
  // Transcript hash each Finished covers (TLS 1.3: Transcript-Hash up to the
  // message before it; TLS 1.2: Hash(handshake messages) before it; SSL 3.0:
  // the handshake messages themselves, RFC 6101 §5.6.9), and the verify_data
  // actually received.
  Bytes clientFinishedHash, serverFinishedHash;
  Bytes clientVerifyData, serverVerifyData;
  // The endpoint's own ephemeral key (a lab run's, kept beside its capture):
  // then the whole chain is derived from the (EC)DHE shared secret down, and
  // each secret the key log also has is checked against it.
  std::optional<crypto::KeyPair> ownKey;
  std::string ownSide;      // "client" or "server": whose key it is
  std::string ownKeySource;
  Bytes peerShare;          // the other side's key share (TLS 1.2: its ClientKeyExchange / ServerKeyExchange)
  bool pskResumption = false;  // TLS 1.3 PSK: the early secret needs the PSK, which is not known here
  Bytes handshakeHash;      // TLS 1.3 Transcript-Hash(ClientHello..ServerHello)
  Bytes applicationHash;    // ClientHello..server Finished
  Bytes resumptionHash;     // ClientHello..client Finished
};

struct Explanation {
  std::string protocol;  // "TLS 1.3" or "TLS 1.2" (or 1.0/1.1)
  const crypto::CipherSuite* suite = nullptr;
  std::vector<model::DerivationStep> steps;
  std::vector<std::string> notes;  // assumptions made, what is missing
};

// With context.ownKey: explainFromEphemeral; `secrets` is then the key log's
// record of the session (it may hold nothing), which each step is checked against.
Explanation explainSession(const SessionSecrets& secrets, const SessionContext& context);
Explanation explainFromEphemeral(const SessionSecrets& logged, const SessionContext& context);

}  // namespace tlslab::keys
