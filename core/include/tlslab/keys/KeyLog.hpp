#pragma once
// The NSS key log format (SSLKEYLOGFILE), as written by OpenSSL, NSS, curl,
// browsers and tlslab's own endpoints, and as read by Wireshark:
//
//   CLIENT_RANDOM <client_random:32> <master_secret:48>            TLS 1.0-1.2
//   PMS_CLIENT_RANDOM <client_random:32> <pre_master_secret>        TLS 1.0-1.2
//   RSA <encrypted_pre_master_secret first 8 bytes> <pre_master>    RSA key exchange
//   RSA Session-ID:<session_id> Master-Key:<master_secret:48>       TLS 1.0-1.2 by session ID
//   CLIENT_EARLY_TRAFFIC_SECRET, CLIENT_HANDSHAKE_TRAFFIC_SECRET,
//   SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
//   SERVER_TRAFFIC_SECRET_0, EARLY_EXPORTER_SECRET, EXPORTER_SECRET
//                                  <client_random:32> <secret>       TLS 1.3
//   CLIENT_TRAFFIC_SECRET_<n>, SERVER_TRAFFIC_SECRET_<n> (n >= 1, or a literal
//   "N" as OpenSSL 3.0 writes after a KeyUpdate): the next-generation traffic
//   secrets (RFC 8446 §7.2). tlslab derives those itself; the logged ones are
//   kept so they can be compared.
//
// Tolerance follows Wireshark (epan/dissectors/packet-tls-utils.c): '#'
// comments and blank lines are skipped, hex is case-insensitive, CRLF line
// ends are fine, and text after the secret is ignored (Wireshark's pattern is
// anchored only at the start) - we keep the line but add a warning. Unlike
// Wireshark, every line we cannot use is reported with its number and why,
// and the rest of the file still loads.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/crypto/SecretKind.hpp"
#include "tlslab/model/Diagnostic.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::keys {

enum class KeyLogType {
  ClientRandom,     // CLIENT_RANDOM: master secret by client random
  PmsClientRandom,  // PMS_CLIENT_RANDOM: pre-master secret by client random
  RsaEncryptedPms,  // RSA: pre-master secret by encrypted PMS prefix
  RsaSessionId,     // RSA Session-ID:... Master-Key:...
  Tls13Secret,      // one of the TLS 1.3 labels; see `kind`
  Tls13UpdatedTrafficSecret,  // CLIENT_/SERVER_TRAFFIC_SECRET_<n> after KeyUpdate (OpenSSL 3.0 writes a literal "_N")
};

struct KeyLogEntry {
  KeyLogType type = KeyLogType::ClientRandom;
  std::string label;  // as written, e.g. "SERVER_HANDSHAKE_TRAFFIC_SECRET"
  std::optional<crypto::SecretKind> kind;  // TLS 1.3 only
  Bytes id;      // client random, encrypted PMS prefix or session ID
  Bytes secret;  // master secret, pre-master secret or TLS 1.3 secret
  std::size_t line = 0;  // 1-based
  bool clientSide = false;      // Tls13UpdatedTrafficSecret: client or server direction
  unsigned generation = 0;      // Tls13UpdatedTrafficSecret: n, or 0 when written as "_N"
};

// A key log line is a label and two hex fields (~250 bytes); longer lines are
// skipped unread, so a file of garbage cannot fill memory one line at a time.
constexpr std::size_t kMaxKeyLogLine = 4096;
// Diagnostics listed one by one; the rest are counted in one closing line.
constexpr std::size_t kMaxKeyLogDiagnostics = 20;

struct KeyLogParse {
  std::vector<KeyLogEntry> entries;
  // One per bad or suspicious line, the first kMaxKeyLogDiagnostics of them,
  // then (when there were more) one that counts them all.
  std::vector<model::Diagnostic> diagnostics;
  std::size_t lines = 0;
  std::size_t badLines = 0;  // lines with a diagnostic, listed or not
};

// `source` names the input in diagnostics (a file name, "pcapng DSB", ...).
KeyLogParse parseKeyLog(std::string_view text, std::string_view source = "key log");
// The same, read from a stream in bounded pieces (a key log file of any size).
KeyLogParse parseKeyLogStream(std::istream& in, std::string_view source = "key log");

}  // namespace tlslab::keys
