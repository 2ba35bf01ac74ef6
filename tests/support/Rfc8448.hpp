#pragma once
// RFC 8448 "Example Handshake Traces for TLS 1.3", transcribed as data.
//
// Each of the five traces (§3 simple 1-RTT, §4 resumed 0-RTT, §5
// HelloRetryRequest, §6 client authentication, §7 compatibility mode) is one
// Trace: every handshake message's plaintext bytes, the (EC)DHE key pairs and
// shared secret, every secret, key and IV the RFC lists, and every record in
// the order the RFC shows it (complete record bytes + plaintext payload).
// Fields a trace does not have stay empty. The .cpp quotes the RFC step line
// above each value. Every trace uses TLS_AES_128_GCM_SHA256.
//
// Tests in tests/crypto recompute all of it (transcript hashes, key schedule,
// record decryption, Finished), so a transcription typo fails a test.
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::test::rfc8448 {

enum class Sender { Client, Server };
// Which keys protect a record: none (plaintext), early (0-RTT), handshake, application.
enum class Epoch { Plaintext, Early, Handshake, Application };

struct Record {
  Sender sender = Sender::Client;
  Epoch epoch = Epoch::Plaintext;
  std::uint8_t innerType = 0;  // content type of the payload (22 handshake, 23 data, 21 alert, 20 ccs)
  std::uint64_t sequence = 0;  // per-direction, per-epoch sequence number (RFC 8446 §5.3)
  Bytes payload;               // "payload" as the RFC lists it (plaintext)
  Bytes record;                // "complete record" as the RFC lists it (wire bytes)
};

struct Trace {
  std::string section;  // e.g. "3"
  std::string title;    // e.g. "Simple 1-RTT Handshake"
  std::string group;    // "x25519" or "P-256" (of the final key share)

  // (EC)DHE inputs and result.
  Bytes clientPrivateKey, clientPublicKey;
  Bytes serverPrivateKey, serverPublicKey;
  Bytes sharedSecret;  // IKM of extract secret "handshake"
  // §5 only: the client's first (x25519) share, rejected by the HelloRetryRequest.
  Bytes firstClientPrivateKey, firstClientPublicKey;

  // Handshake messages (type + length + body), in wire order.
  Bytes clientHello1;       // §5: the first ClientHello
  Bytes helloRetryRequest;  // §5
  Bytes clientHelloPrefix;  // §4: ClientHello up to (not including) the binders
  Bytes clientHello;
  Bytes serverHello;
  Bytes encryptedExtensions;
  Bytes certificateRequest;  // §6
  Bytes certificate;
  Bytes certificateVerify;
  Bytes serverFinished;
  Bytes endOfEarlyData;  // §4
  Bytes clientCertificate;        // §6
  Bytes clientCertificateVerify;  // §6
  Bytes clientFinished;
  Bytes newSessionTicket;  // §3

  // Key schedule (RFC 8446 §7.1).
  Bytes psk;  // §4: IKM of extract secret "early" (the §3 resumption PSK)
  Bytes earlySecret;
  Bytes binderKey;          // §4: PRK of the binder "finished" expansion
  Bytes binderHash;         // §4: transcript hash of the ClientHello prefix
  Bytes binderFinishedKey;  // §4
  Bytes binder;             // §4
  Bytes earlyHash;          // §4: hash for c e traffic / e exp master (= ClientHello)
  Bytes clientEarlyTrafficSecret, earlyExporterMasterSecret;
  Bytes earlyKey, earlyIv;
  Bytes derivedForHandshake;
  Bytes handshakeSecret;
  Bytes helloHash;  // transcript hash ClientHello..ServerHello
  Bytes clientHandshakeTrafficSecret, serverHandshakeTrafficSecret;
  Bytes derivedForMaster;
  Bytes masterSecret;
  Bytes serverHandshakeKey, serverHandshakeIv;
  Bytes clientHandshakeKey, clientHandshakeIv;
  Bytes serverFinishedKey, serverVerifyData;
  Bytes applicationHash;  // transcript hash ClientHello..server Finished
  Bytes clientApplicationTrafficSecret, serverApplicationTrafficSecret;
  Bytes exporterMasterSecret;
  Bytes serverApplicationKey, serverApplicationIv;
  Bytes clientApplicationKey, clientApplicationIv;
  Bytes clientFinishedKey, clientVerifyData;
  Bytes resumptionHash;  // transcript hash ClientHello..client Finished
  Bytes resumptionMasterSecret;
  Bytes ticketNonce;     // §3
  Bytes resumptionPsk;   // §3: "generate resumption secret"

  std::vector<Record> records;
};

const Trace& simple1Rtt();         // §3
const Trace& resumed0Rtt();        // §4
const Trace& helloRetryRequest();  // §5
const Trace& clientAuth();         // §6
const Trace& compatibilityMode();  // §7
std::vector<const Trace*> allTraces();

}  // namespace tlslab::test::rfc8448
