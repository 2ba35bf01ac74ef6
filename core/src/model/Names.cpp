#include <iterator>

#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::model {

const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    default: return "unknown";
  }
}

namespace {
struct DiagnosticCodeInfo {
  const char* name;
  const char* meaning;
};
// In enum order: the table and the enum come from the same X-macro.
constexpr DiagnosticCodeInfo kDiagnosticCodes[] = {
#define TLSLAB_DIAGNOSTIC_INFO(id, name, meaning) {name, meaning},
    TLSLAB_DIAGNOSTIC_CODES(TLSLAB_DIAGNOSTIC_INFO)
#undef TLSLAB_DIAGNOSTIC_INFO
};
const DiagnosticCodeInfo& infoOf(DiagnosticCode code) {
  const auto i = static_cast<std::size_t>(code);
  return i < std::size(kDiagnosticCodes) ? kDiagnosticCodes[i] : kDiagnosticCodes[0];
}
}  // namespace

const char* diagnosticCodeName(DiagnosticCode code) { return infoOf(code).name; }
const char* diagnosticCodeMeaning(DiagnosticCode code) { return infoOf(code).meaning; }

const char* stepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::Derived: return "derived";
    case StepStatus::FromKeyLog: return "from key log";
    case StepStatus::NotDerivable: return "not derivable";
    case StepStatus::Verified: return "verified";
    case StepStatus::Failed: return "failed";
    default: return "unknown";
  }
}

const char* scheduleNodeName(ScheduleNode node) {
  using N = ScheduleNode;
  switch (node) {
    case N::Psk: return "psk";
    case N::SharedSecret: return "(ec)dhe_shared_secret";
    case N::EarlySecret: return "early_secret";
    case N::DerivedForHandshake: return "derived (for handshake secret)";
    case N::HandshakeSecret: return "handshake_secret";
    case N::DerivedForMaster: return "derived (for master secret)";
    case N::MasterSecret: return "master_secret";
    case N::BinderKey: return "binder_key";
    case N::ClientEarlyTraffic: return "client_early_traffic_secret";
    case N::EarlyExporter: return "early_exporter_master_secret";
    case N::ClientHandshakeTraffic: return "client_handshake_traffic_secret";
    case N::ServerHandshakeTraffic: return "server_handshake_traffic_secret";
    case N::ClientApplicationTraffic: return "client_application_traffic_secret_0";
    case N::ServerApplicationTraffic: return "server_application_traffic_secret_0";
    case N::ExporterMaster: return "exporter_master_secret";
    case N::ResumptionMaster: return "resumption_master_secret";
    case N::ClientNextApplicationTraffic: return "client_application_traffic_secret_1";
    case N::ServerNextApplicationTraffic: return "server_application_traffic_secret_1";
    case N::ClientEarlyKey: return "client early write key";
    case N::ClientEarlyIv: return "client early write iv";
    case N::ClientHandshakeKey: return "client handshake write key";
    case N::ClientHandshakeIv: return "client handshake write iv";
    case N::ServerHandshakeKey: return "server handshake write key";
    case N::ServerHandshakeIv: return "server handshake write iv";
    case N::ClientApplicationKey: return "client application write key";
    case N::ClientApplicationIv: return "client application write iv";
    case N::ServerApplicationKey: return "server application write key";
    case N::ServerApplicationIv: return "server application write iv";
    case N::ClientFinishedKey: return "client finished_key";
    case N::ServerFinishedKey: return "server finished_key";
    case N::ClientVerifyData: return "client verify_data";
    case N::ServerVerifyData: return "server verify_data";
    case N::ClientFinishedCheck: return "client Finished check";
    case N::ServerFinishedCheck: return "server Finished check";
    case N::PreMasterSecret: return "pre_master_secret";
    case N::Tls12MasterSecret: return "master_secret (TLS 1.2)";
    case N::KeyBlock: return "key_block";
    case N::ClientMacKey: return "client_write_MAC_key";
    case N::ServerMacKey: return "server_write_MAC_key";
    case N::ClientWriteKey: return "client_write_key";
    case N::ServerWriteKey: return "server_write_key";
    case N::ClientWriteIv: return "client_write_IV";
    case N::ServerWriteIv: return "server_write_IV";
    case N::None:
    default: return "";
  }
}

std::vector<AppDataChunk> conversationTurns(const TraceConnection& conn) {
  std::vector<AppDataChunk> turns;
  for (const AppDataChunk& chunk : conn.appData) {
    if (turns.empty() || turns.back().direction != chunk.direction) turns.push_back({chunk.direction, chunk.record, {}});
    turns.back().data.insert(turns.back().data.end(), chunk.data.begin(), chunk.data.end());
    turns.back().omitted += chunk.omitted;
  }
  return turns;
}

const char* directionArrow(Direction direction) {
  return direction == Direction::ClientToServer ? "->" : "<-";
}

}  // namespace tlslab::model

namespace tlslab::model {

const char* resumptionName(Resumption resumption) {
  switch (resumption) {
    case Resumption::None: return "";
    case Resumption::SessionId: return "session id";
    case Resumption::Ticket: return "ticket";
    case Resumption::Psk: return "psk";
  }
  return "";
}

std::string KeyPhase::name() const {
  switch (stage) {
    case Stage::None: return {};
    case Stage::Early: return "early";
    case Stage::Handshake: return "handshake";
    case Stage::Application: return generation == 0 ? "application" : "application " + std::to_string(generation);
  }
  return {};
}

}  // namespace tlslab::model
