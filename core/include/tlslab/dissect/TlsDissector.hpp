#pragma once
// The TLS dissector (DESIGN.md: "one pipeline, two sources"): reassembled TCP
// streams from the capture layer plus keys from a KeyStore in, a model::Trace
// out. Per direction it frames records (wire::RecordFramer), opens protected
// ones with the session's keys (crypto::RecordCipher), reassembles and parses
// handshake messages (wire::HandshakeReassembler, parseHandshakeMessage), and
// explains the key schedule with the transcript hashes so both Finished
// messages are verified (keys::explainSession).
//
// Dissector policy (STYLE practice 4): malformed or undecryptable data is
// annotated in plain words and dissection goes on; nothing here throws.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tlslab/capture/Source.hpp"
#include "tlslab/capture/StreamSink.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::dissect {

struct DissectOptions {
  // false: application data records keep their header, sizes and verdict but
  // not their wire bytes, plaintext or RecordCrypto detail, and no AppDataChunk
  // is stored, so memory stays bounded by the number of records on huge
  // captures. Handshake, alert and CCS records are always kept in full (TLS
  // 1.3 post-handshake messages keep bytes and plaintext, not the crypto detail).
  bool keepPayloads = true;
  // With keepPayloads, > 0: application data records are kept as with
  // keepPayloads = false (sizes, verdict, no bytes), and each conversation turn
  // (a run of chunks in one direction) keeps only its first payloadPreview bytes,
  // the rest counted in AppDataChunk::omitted. What the printout shows, in
  // memory bounded per connection (`tlslab follow` reads everything).
  std::size_t payloadPreview = 0;
  // false: once a connection has closed (and onConnectionUpdated has seen it
  // complete), its records, messages and application data are dropped; the
  // summary stays (endpoints, negotiated, derivation, decryption, state,
  // diagnostics). With keepPayloads = false this makes memory independent of
  // the capture's size (streaming use: benchmarks, live capture for hours).
  // Nothing then keeps a field tree, so none is built with learner text:
  // records carry no header tree and handshake messages a lean one (offsets
  // only, wire::FieldDetail::Lean). Every record is still opened and
  // authenticated, and every handshake message parsed, as in full mode.
  bool keepRecords = true;
  // Called after every record has been dissected (live views, the GUI's
  // worker thread). The references are valid only during the call.
  std::function<void(const model::TraceConnection&, const model::TraceRecord&)> onRecord;
  // Called when a connection opens, when what was negotiated changes (each
  // handshake message) and when it closes.
  std::function<void(const model::TraceConnection&)> onConnectionUpdated;
  // Streaming (`tlslab dissect --json`, `--jsonl` and its printout): called
  // once per connection when the capture layer closes it, or in finish() for
  // one never closed, with the connection as the Trace would hold it at the
  // end: finalised (derivation with both Finished checks, decryption, state,
  // key log) and with its records, messages and application data as the
  // other options build them. Nothing later changes it: cross-connection
  // facts point backwards only (resumedFrom names an earlier connection,
  // found when this one's hellos were parsed). Right after the call the
  // connection's records, messages and application data are dropped, as with
  // keepRecords = false, so memory follows the connections open at once; the
  // consumer may move those three out of it, the rest stays in the Trace.
  // Calls come in closing order, not index order. With retainForLateKeys, a
  // connection retried later is replaced in the Trace after its call
  // (onConnectionUpdated reports that), not handed out again.
  std::function<void(model::TraceConnection&)> onConnectionFinished;
  // false: a finished connection (handed out, or in bulk mode) also drops its
  // derivation steps and certificates, which a streamed consumer has used by
  // then; what stays is its row (endpoints, negotiated, verdicts, key log),
  // so memory follows the connections open at once, not how many there were.
  bool keepFinishedDetail = true;
  // Live capture: OpenSSL logs TLS 1.3 secrets (and TLS 1.2 ones) only after
  // the records they protect were sent, so records pass before their keys.
  // true: a connection's stream bytes are held while some of its records
  // could not be opened for lack of keys, and retryWithNewKeys() dissects it
  // again once the KeyStore knows more. Off for files (nothing extra is kept).
  bool retainForLateKeys = false;
  // Held bytes per connection; past it they are dropped and the records
  // without keys stay encrypted (their reason says so when the keys arrive).
  std::size_t retainLimit = std::size_t{4} << 20;
  // How long (wall clock) a closed connection still waits for its keys.
  double retainAfterClose = 5.0;
};

// What retryWithNewKeys() changed for one connection.
struct LateKeys {
  std::size_t connection = 0;        // index in the Trace
  std::vector<std::size_t> opened;   // records decrypted now that were not before
  std::string note;                  // set when the keys came too late to help
};

struct Connection;  // per-connection state (core/src/dissect/Connection.hpp)
class QuicDissector;  // QUIC over UDP (core/src/dissect/Quic.hpp, issue 19)
class DtlsDissector;  // DTLS over UDP (core/src/dissect/Dtls.hpp, issue 18)
struct Shared;

class TlsDissector : public capture::StreamSink {
 public:
  // `keys` must outlive the dissector; key logs found in the capture (pcapng
  // Decryption Secrets Blocks) are added to it, and so are TLS 1.2 master
  // secrets learned per session ID / ticket for later resumptions.
  explicit TlsDissector(keys::KeyStore& keys, DissectOptions options = {});
  ~TlsDissector() override;
  TlsDissector(const TlsDissector&) = delete;
  TlsDissector& operator=(const TlsDissector&) = delete;

  void onConnectionOpened(const capture::ConnectionInfo& info) override;
  void onData(const capture::StreamChunk& chunk) override;
  void onGap(const capture::StreamGap& gap) override;
  void onTlsStart(const capture::TlsStart& start) override;
  void onConnectionClosed(const capture::ConnectionInfo& info) override;
  void onDiagnostic(const capture::CaptureDiagnostic& diagnostic) override;
  void onKeyLog(std::string_view text, std::uint64_t fileOffset) override;
  // UDP: a flow whose first datagram is a DTLS record becomes a DTLS
  // association (issue 18); one that looks like QUIC a QUIC connection (issue 19).
  void onUdpFlowOpened(const capture::UdpFlowInfo& info) override;
  void onDatagram(const capture::FlowDatagram& datagram) override;
  void onUdpFlowClosed(const capture::UdpFlowInfo& info) override;

  // Closes whatever is still open (derivation, Finished checks, reasons) and
  // hands out the result. Call once, after the capture has finished.
  model::Trace finish();
  // The trace so far (connections still open are not yet finalised).
  const model::Trace& trace() const;

  void setSource(std::string source);

  // With DissectOptions::retainForLateKeys: every held connection whose keys
  // the KeyStore now knows (more of) is dissected again from its held bytes
  // and replaced in the trace (same index and labels; onConnectionUpdated is
  // called). Call after adding key log text. Cheap when nothing is held.
  std::vector<LateKeys> retryWithNewKeys();

 private:
  Connection* find(capture::ConnectionId id);
  void finalize(Connection& conn);
  void closeConnection(Connection& conn, const capture::ConnectionInfo& info);
  void hold(Connection& conn, const capture::StreamChunk& chunk);
  void release(Connection& conn);
  std::optional<LateKeys> reopen(std::unique_ptr<Connection>& slot);
  void pruneWaiting();

  keys::KeyStore& keys_;
  DissectOptions options_;
  model::Trace trace_;
  std::unique_ptr<Shared> shared_;
  std::map<capture::ConnectionId, std::unique_ptr<Connection>> open_;
  // Closed connections (by trace index) still waiting for keys (retainForLateKeys).
  std::map<std::size_t, std::unique_ptr<Connection>> waiting_;
  std::unique_ptr<QuicDissector> quic_;
  std::unique_ptr<DtlsDissector> dtls_;  // holds a reference to *shared_
  bool finished_ = false;
};

// The NSS key log lines the store holds for one client random (TLS 1.3
// secrets; TLS 1.2 master or pre-master secret), e.g. to embed the keys of a
// connection whose key log arrived after it was dissected.
std::string keyLogLines(const keys::KeyStore& keys, ByteView clientRandom);

// Fills each derivation step's `messages` (what its transcript hash, randoms
// or key shares cover) and `records` (what its key protects) from the
// connection's messages and records; run again after adding steps.
void linkDerivation(model::TraceConnection& connection);

// Reads a capture file through capture::readCapture into a TlsDissector. An
// error result means the file could not be read at all (its message names the
// file and what is wrong: the CLI exits 2); a file that breaks off midway
// still gives a Trace, with an error diagnostic in Trace::diagnostics.
// `summary`, when given, receives the capture layer's statistics.
capture::Result<model::Trace> dissectFile(const std::filesystem::path& path, keys::KeyStore& keys,
                                          DissectOptions options = {},
                                          const capture::ProgressCallback& progress = {},
                                          capture::ReadSummary* summary = nullptr);
capture::Result<model::Trace> dissectBytes(ByteView bytes, keys::KeyStore& keys, DissectOptions options = {},
                                           const capture::ProgressCallback& progress = {},
                                           capture::ReadSummary* summary = nullptr);

// Connection `which` of a capture read before (identified by its endpoints
// and first packet time), dissected again with its application data kept:
// what a viewer that opened a huge file without payloads loads for the one
// connection the user opens. Cross-connection facts (resumedFrom) and labels
// are taken over from `which`. An error when the file cannot be read or no
// longer holds that connection.
capture::Result<model::TraceConnection> dissectConnection(const std::filesystem::path& path, keys::KeyStore& keys,
                                                          const model::TraceConnection& which);

}  // namespace tlslab::dissect
