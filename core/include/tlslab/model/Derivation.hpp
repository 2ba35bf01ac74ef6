#pragma once
// A key-derivation step shown to a learner: inputs -> function -> output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::model {

struct DerivationInput {
  std::string label;  // e.g. "secret", "label", "context (transcript hash)"
  Bytes bytes;
};

enum class StepStatus {
  Derived,       // computed here from the inputs shown
  FromKeyLog,    // taken as given (key log, instrumented run)
  NotDerivable,  // cannot be computed from what we have; `note` says why
  Verified,      // a check that passed (e.g. Finished verify_data matches)
  Failed,        // a check that failed
};

// Where a step sits in the key schedule as the RFCs draw it (RFC 8446 §7.1,
// §7.3, §4.4.4; RFC 5246 §8.1, §6.3, §7.4.9), so a picture can place it
// without reading its name. None: not part of that picture.
enum class ScheduleNode : std::uint8_t {
  None,
  // TLS 1.3 inputs and the spine
  Psk, SharedSecret, EarlySecret, DerivedForHandshake, HandshakeSecret, DerivedForMaster, MasterSecret,
  // TLS 1.3 Derive-Secret branches
  BinderKey, ClientEarlyTraffic, EarlyExporter, ClientHandshakeTraffic, ServerHandshakeTraffic,
  ClientApplicationTraffic, ServerApplicationTraffic, ExporterMaster, ResumptionMaster,
  ClientNextApplicationTraffic, ServerNextApplicationTraffic,  // after a KeyUpdate (§7.2)
  // TLS 1.3 traffic keys (§7.3)
  ClientEarlyKey, ClientEarlyIv, ClientHandshakeKey, ClientHandshakeIv, ServerHandshakeKey, ServerHandshakeIv,
  ClientApplicationKey, ClientApplicationIv, ServerApplicationKey, ServerApplicationIv,
  // Finished, both versions (TLS 1.3 §4.4.4 has a finished_key first)
  ClientFinishedKey, ServerFinishedKey, ClientVerifyData, ServerVerifyData, ClientFinishedCheck, ServerFinishedCheck,
  // TLS 1.0-1.2
  PreMasterSecret, Tls12MasterSecret, KeyBlock, ClientMacKey, ServerMacKey, ClientWriteKey, ServerWriteKey,
  ClientWriteIv, ServerWriteIv,
};

struct DerivationStep {
  std::string name;      // e.g. "client_handshake_traffic_secret"
  std::string function;  // e.g. "Derive-Secret(handshake_secret, \"c hs traffic\", CH..SH)"
  std::vector<DerivationInput> inputs;
  Bytes output;
  std::string rfc;       // e.g. "RFC 8446 §7.1"
  StepStatus status = StepStatus::Derived;
  std::string note;      // why not derivable, what was compared, ...
  ScheduleNode node = ScheduleNode::None;
  std::string keyLogLine;  // FromKeyLog: the NSS key log line that carries the value
  // Filled when the step belongs to a Trace connection (dissect): the
  // messages (TraceConnection::messages) its transcript hash, randoms or key
  // shares come from, and the records (TraceConnection::records) its key protects.
  std::vector<std::size_t> messages;
  std::vector<std::size_t> records;
  // Shell commands that compute `output` by hand (openssl kdf/pkeyutl or
  // `tlslab keys derive`), one per line; empty where nothing is computed.
  std::string command;
};

const char* stepStatusName(StepStatus status);
const char* scheduleNodeName(ScheduleNode node);  // "client_handshake_traffic_secret", "" for None

}  // namespace tlslab::model
