#pragma once
// The TLS 1.3 key schedule, RFC 8446 §7.1:
//
//              0
//              |
//              v
//    PSK ->  HKDF-Extract = Early Secret
//              |
//              +-----> Derive-Secret(., "ext binder" | "res binder", "")
//              |                     = binder_key
//              |
//              +-----> Derive-Secret(., "c e traffic", ClientHello)
//              |                     = client_early_traffic_secret
//              |
//              +-----> Derive-Secret(., "e exp master", ClientHello)
//              |                     = early_exporter_master_secret
//              v
//        Derive-Secret(., "derived", "")
//              |
//              v
//    (EC)DHE -> HKDF-Extract = Handshake Secret
//              |
//              +-----> Derive-Secret(., "c hs traffic",
//              |                     ClientHello...ServerHello)
//              |                     = client_handshake_traffic_secret
//              |
//              +-----> Derive-Secret(., "s hs traffic",
//              |                     ClientHello...ServerHello)
//              |                     = server_handshake_traffic_secret
//              v
//        Derive-Secret(., "derived", "")
//              |
//              v
//    0 -> HKDF-Extract = Master Secret
//              |
//              +-----> Derive-Secret(., "c ap traffic",
//              |                     ClientHello...server Finished)
//              |                     = client_application_traffic_secret_0
//              |
//              +-----> Derive-Secret(., "s ap traffic",
//              |                     ClientHello...server Finished)
//              |                     = server_application_traffic_secret_0
//              |
//              +-----> Derive-Secret(., "exp master",
//              |                     ClientHello...server Finished)
//              |                     = exporter_master_secret
//              |
//              +-----> Derive-Secret(., "res master",
//                                    ClientHello...client Finished)
//                                    = resumption_master_secret
//
// Traffic keys (§7.3): key = HKDF-Expand-Label(secret, "key", "", key_length),
// iv = HKDF-Expand-Label(secret, "iv", "", iv_length). Finished (§4.4.4):
// finished_key = HKDF-Expand-Label(base_key, "finished", "", Hash.length),
// verify_data = HMAC(finished_key, Transcript-Hash(...)). KeyUpdate (§7.2):
// next = HKDF-Expand-Label(current, "traffic upd", "", Hash.length).
// Resumption PSK (§4.6.1): HKDF-Expand-Label(resumption_master_secret,
// "resumption", ticket_nonce, Hash.length).
#include <optional>
#include <string>
#include <vector>

#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Hash.hpp"
#include "tlslab/crypto/RecordCipher.hpp"
#include "tlslab/crypto/SecretKind.hpp"
#include "tlslab/model/Derivation.hpp"

namespace tlslab::crypto {

// Transcript hashes the schedule needs; leave empty what is not known.
struct Tls13Transcript {
  Bytes clientHello;     // Transcript-Hash(ClientHello): early traffic / early exporter
  Bytes serverHello;     // ClientHello..ServerHello: handshake traffic secrets
  Bytes serverFinished;  // ClientHello..server Finished: application secrets, exporter
  Bytes clientFinished;  // ClientHello..client Finished: resumption master secret
};

struct Tls13Inputs {
  HashAlg hash = HashAlg::Sha256;
  std::optional<Bytes> psk;           // absent: no PSK (HashLen zeros are used)
  bool externalPsk = false;           // binder label "ext binder" instead of "res binder"
  std::optional<Bytes> sharedSecret;  // the (EC)DHE shared secret; absent for psk_ke
  bool pskOnly = false;               // psk_ke: no (EC)DHE, zeros are used
  Tls13Transcript transcript;
};

struct Tls13Secrets {
  Bytes earlySecret, binderKey, clientEarlyTraffic, earlyExporter;
  Bytes handshakeSecret, clientHandshakeTraffic, serverHandshakeTraffic;
  Bytes masterSecret, clientApplicationTraffic, serverApplicationTraffic, exporterMaster,
      resumptionMaster;
};

struct Tls13Schedule {
  Tls13Secrets secrets;
  std::vector<model::DerivationStep> steps;  // in the order of the §7.1 diagram
};

// Runs the whole schedule from its inputs. Without the (EC)DHE shared secret
// (and not psk_ke) everything from the Handshake Secret down is an explicit
// NotDerivable step.
Tls13Schedule deriveTls13Schedule(const Tls13Inputs& inputs);

// key + iv for one traffic secret (RFC 8446 §7.3), as steps.
struct Tls13KeyIv {
  TrafficKeys keys;
  std::vector<model::DerivationStep> steps;
};
Tls13KeyIv tls13TrafficKeys(const CipherSuite& suite, ByteView trafficSecret, const std::string& who);
// The same for one of the schedule's traffic secrets: named and placed (ScheduleNode) after it.
Tls13KeyIv tls13TrafficKeys(const CipherSuite& suite, ByteView trafficSecret, SecretKind kind);

// RFC 8446 §4.4.1: after a HelloRetryRequest the transcript starts with this
// synthetic handshake message in place of ClientHello1:
// message_hash (254) || 00 00 Hash.length || Hash(ClientHello1).
Bytes tls13MessageHash(HashAlg hash, ByteView clientHello1);

model::DerivationStep tls13FinishedKey(HashAlg hash, ByteView baseKey, std::string name);
model::DerivationStep tls13VerifyData(HashAlg hash, ByteView finishedKey, ByteView transcriptHash,
                                      std::string name, std::string messages);
// Compares a computed value with the one received: a Verified or Failed step.
model::DerivationStep compareStep(std::string name, ByteView computed, ByteView received, std::string rfc,
                                  std::string what);
model::DerivationStep tls13NextTrafficSecret(HashAlg hash, ByteView current, unsigned nextGeneration,
                                             const std::string& who);
model::DerivationStep tls13ResumptionPsk(HashAlg hash, ByteView resumptionMasterSecret,
                                         ByteView ticketNonce);
// The steps above the traffic secrets as NotDerivable nodes, for a session
// known only from a key log.
std::vector<model::DerivationStep> tls13NotDerivableFromKeyLog();

// The same explanation as a reusable sentence.
inline constexpr const char* kForwardSecrecyNote =
    "not derivable from this key log (forward secrecy: the (EC)DHE shared secret never leaves the "
    "endpoints, so only the secrets derived from it can be logged; a lab run's own ephemeral keys, kept "
    "beside its capture and never in it, make every secret derivable: --ephemeral-keys)";

}  // namespace tlslab::crypto
