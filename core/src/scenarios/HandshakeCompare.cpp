#include "tlslab/scenarios/HandshakeCompare.hpp"

#include <algorithm>

namespace tlslab::scenarios {

namespace {

constexpr std::uint16_t kTls13 = 0x0304;

std::vector<std::string> messagesOf(const model::TraceConnection& conn) {
  std::vector<std::string> out;
  for (const auto& m : conn.messages) {
    if (m.handshakeType < 0 && m.name != "ChangeCipherSpec") continue;  // alerts, heartbeats
    const bool client = m.direction == model::Direction::ClientToServer;
    out.push_back(std::string(client ? "→ " : "← ") + m.name);
  }
  return out;
}

// Why an abbreviated handshake does without `message` (RFC 5246 §7.3, RFC 8446 §2.2).
std::string whyAbsent(const std::string& message, bool tls13) {
  const std::string name = message.substr(message.find(' ') + 1);
  const bool fromClient = message.rfind("→", 0) == 0;
  if (name == "Certificate" && !fromClient)
    return tls13 ? "no certificate: the PSK from the ticket proves it is the same server (RFC 8446 §2.2)"
                 : "no certificate: the server proved who it is in the first handshake; the session stands for that";
  if (name == "CertificateVerify")
    return "no signature: the PSK authenticates the handshake instead (RFC 8446 §2.2)";
  if (name == "ServerKeyExchange" || name == "ClientKeyExchange")
    return "no key exchange: the keys come from the first session's master secret and the two new randoms "
           "(RFC 5246 §8.1, §6.3)";
  if (name == "ServerHelloDone") return "nothing left to wait for: the server goes straight to its Finished";
  if (name == "NewSessionTicket")
    return tls13 ? "one ticket fewer: OpenSSL sends two after a full handshake, one after a resumption"
                 : "no new ticket: the one the client presented is still good (RFC 5077 §3.1)";
  return "not needed when resuming";
}

// The longest common subsequence, so equal messages line up.
std::vector<HandshakeRow> align(const std::vector<std::string>& a, const std::vector<std::string>& b, bool tls13) {
  std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<HandshakeRow> rows;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      rows.push_back({a[i++], b[j++], ""});
    } else if (j >= b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
      rows.push_back({a[i], "", whyAbsent(a[i], tls13)});
      ++i;
    } else {
      rows.push_back({"", b[j++], "only when resuming"});
    }
  }
  return rows;
}

// A message both handshakes have, but at another place: say it moved rather
// than that it is missing here and new there. With 0-RTT the client's
// compatibility ChangeCipherSpec comes right after its ClientHello, before
// the early data (RFC 8446 Appendix D.4), instead of before its Finished.
void markMoves(std::vector<HandshakeRow>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].full.empty() || !rows[i].resumed.empty()) continue;
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      if (!rows[j].full.empty() || rows[j].resumed != rows[i].full) continue;
      rows[i].resumed = "(below)";
      rows[i].note = "comes later when resuming";
      rows[j].full = "(above)";
      rows[j].note = "moved: now after the server's Finished";
      break;
    }
    for (std::size_t j = 0; j < i && rows[i].resumed.empty(); ++j) {
      if (!rows[j].full.empty() || rows[j].resumed != rows[i].full) continue;
      const bool ccs = rows[i].full == "→ ChangeCipherSpec";
      rows[j].full = "(below)";
      rows[j].note = ccs ? "moved: with 0-RTT it goes right after the ClientHello, before the early data (RFC 8446 "
                           "Appendix D.4)"
                         : "moved: comes earlier when resuming";
      rows[i].resumed = "(above)";
      rows[i].note = "comes earlier when resuming";
    }
  }
}

}  // namespace

HandshakeComparison compareHandshakes(const model::TraceConnection& full, const model::TraceConnection& resumed) {
  HandshakeComparison c;
  const bool tls13 = resumed.negotiated.version == kTls13;
  using model::Resumption;
  const Resumption kind = resumed.negotiated.resumption;
  if (kind == Resumption::Ticket) c.resumedBy = "a session ticket (RFC 5077): the server's own encrypted copy of the session";
  else if (kind == Resumption::SessionId) c.resumedBy = "the session ID (RFC 5246 §7.3): the server found it in its session cache";
  else if (kind == Resumption::Psk) c.resumedBy = "a PSK from a NewSessionTicket (RFC 8446 §2.2)";
  if (tls13)
    c.keyExchange = resumed.negotiated.group.empty()
                        ? "no key exchange (psk_ke): the keys come from the PSK alone, without forward secrecy"
                        : "a fresh " + resumed.negotiated.group +
                              " key exchange on top of the PSK (psk_dhe_ke), so the new keys have forward secrecy";
  else if (kind != Resumption::None)
    c.keyExchange = "none: the abbreviated handshake reuses the first session's master secret (no group)";
  c.rows = align(messagesOf(full), messagesOf(resumed), tls13);
  markMoves(c.rows);
  if (!tls13 && kind != Resumption::None)
    c.notes.push_back("the server sends its ChangeCipherSpec and Finished first, the client answers: "
                      "one round trip instead of two (RFC 5246 §7.3, Figure 2)");
  if (tls13 && kind != Resumption::None)
    c.notes.push_back(resumed.negotiated.earlyData
                          ? "0-RTT: the client's request went out with its ClientHello, under the early traffic "
                            "secret, before the handshake's one round trip (RFC 8446 §2.3)"
                          : "the handshake still takes one round trip; 0-RTT early data (--early-data) would save that too");
  return c;
}

}  // namespace tlslab::scenarios
