#pragma once
// A finding about the input that a learner should see: malformed bytes,
// a failed check, a missing key. Never thrown; always carried in results.
// Each has a stable code (like Wireshark's expert-info kinds): tests and
// tools match codes, learners read the message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace tlslab::model {

enum class Severity { Info, Warning, Error };

// X(enumerator, stable name, what it means). The names are part of the JSON
// output ("code"): add codes, never rename one.
#define TLSLAB_DIAGNOSTIC_CODES(X)                                                                          \
  X(Unclassified, "unclassified", "a finding without a code of its own")                                    \
  X(Malformed, "malformed", "bytes that do not parse as the structure they claim to be")                   \
  X(Truncated, "truncated", "the stream or capture ends inside a record or message")                        \
  X(ParseGuess, "parse.guess", "a format chosen without knowing the version or suite (said how)")          \
  X(Sslv2Hello, "record.sslv2_hello", "an SSLv2-compatible ClientHello (RFC 5246 §E.2)")                   \
  X(RecordOverflow, "record.overflow", "a record longer than the protocol allows")                         \
  X(RecordDesync, "record.desync", "bytes that are not TLS records (framing lost)")                        \
  X(KeyChangeBoundary, "handshake.key_change_boundary", "a handshake message across a key change")         \
  X(UnknownMessage, "handshake.unknown_type", "a handshake message type tlslab does not know")             \
  X(CaptureFile, "capture.file", "the capture file could not be read (to its end)")                        \
  X(LinkLayer, "capture.link_layer", "a link-layer type tlslab does not decode")                           \
  X(PacketHeader, "capture.packet_header", "an IP or TCP header that is short, inconsistent or odd")        \
  X(IpFragment, "capture.ip_fragment", "IP fragments that were reassembled, overlap or stay incomplete")   \
  X(DecryptionSecrets, "capture.dsb", "a pcapng Decryption Secrets Block")                                 \
  X(ConnectionLimit, "capture.connection_limit", "more connections open at once than the limit")           \
  X(TcpMidStream, "tcp.mid_stream", "a connection picked up after its start")                              \
  X(TcpGap, "tcp.gap", "bytes missing from a TCP stream")                                                  \
  X(TcpConflict, "tcp.conflict", "segments that disagree (retransmission, overlap, SYN or FIN)")           \
  X(TcpLateSegment, "tcp.late_segment", "a segment after its connection closed")                           \
  X(RecordUnknownType, "record.unknown_type", "a record content type tlslab does not dissect")             \
  X(RecordResynced, "record.resynced", "decryption found its place again after a gap")                     \
  X(Renegotiation, "handshake.renegotiation", "a new handshake inside an encrypted connection")            \
  X(TranscriptLimit, "handshake.transcript_limit", "a handshake too long to keep its transcript")          \
  X(UnsupportedVersion, "handshake.unsupported_version", "a protocol version tlslab does not dissect")     \
  X(HandshakeFlow, "handshake.flow", "a message or extension where RFC 8446/5246 do not allow it")         \
  X(CheckFailed, "keys.check_failed", "a Finished or derivation check that failed")                        \
  X(DerivationNote, "keys.derivation_note", "how the key derivation shown was obtained")                   \
  X(LateKeysArrived, "keys.late_arrived", "keys arrived after records had passed without them")            \
  X(LateKeysDropped, "keys.late_dropped", "bytes held for late keys were dropped at the limit")            \
  X(KeyLogLine, "keys.keylog_line", "a key log line that could not be used")                               \
  X(EphemeralKeyLine, "keys.ephemeral_line", "an ephemeral-keys line that could not be used")               \
  X(AppLimit, "app.limit", "application data past one of tlslab's caps (header block, body, count)")  \
  X(DtlsRetransmission, "dtls.retransmission", "a DTLS handshake flight sent again (RFC 6347 §4.2.4)")      \
  X(DtlsFragment, "dtls.fragment", "a DTLS handshake fragment that does not fit its message")

enum class DiagnosticCode : std::uint8_t {
#define TLSLAB_DIAGNOSTIC_ENUM(id, name, meaning) id,
  TLSLAB_DIAGNOSTIC_CODES(TLSLAB_DIAGNOSTIC_ENUM)
#undef TLSLAB_DIAGNOSTIC_ENUM
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string where;                  // the structure, e.g. "ClientHello.cipher_suites"
  std::optional<std::size_t> offset;  // byte offset in the input it refers to, when known
  std::string message;                // plain words: what is wrong and why it matters
  DiagnosticCode code = DiagnosticCode::Unclassified;
};

const char* severityName(Severity severity);
const char* diagnosticCodeName(DiagnosticCode code);     // "tcp.gap"
const char* diagnosticCodeMeaning(DiagnosticCode code);  // one line

}  // namespace tlslab::model
