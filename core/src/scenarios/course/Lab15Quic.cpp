// Lab 15 — TLS 1.3 inside QUIC: the student captures a real QUIC connection
// (ngtcp2's client and server, `tlslab lab run quic -o quic`) and reads its
// ClientHello with nothing but the capture, because the Initial packets'
// keys come from the public Destination Connection ID (RFC 9001 §5.2). Every
// answer is read off the student's own run (Lab15Checks.cpp).
#include "Lab15Checks.hpp"
#include "Labs.hpp"
#include "tlslab/scenarios/course/LabValues.hpp"

namespace tlslab::course {
namespace {

std::string ownRun(const char* what) { return std::string("(") + what + " of your quic/quic.pcapng)"; }

LabDefinition define() {
  LabDefinition lab;
  lab.number = 15;
  lab.slug = "quic";
  lab.title = "TLS 1.3 inside QUIC";
  lab.goal = "Capture a real QUIC connection and read its ClientHello with nothing but the capture: derive the "
             "Initial keys from the public connection ID, then open the rest with the key log.";
  lab.minutes = 60;
  lab.tutorial = "15-quic.md";
  lab.questions = {
      {"initial_dcid", "Which Destination Connection ID did your client put in its first Initial packet?", "hex",
       [](const Variant&) { return ownRun("the DCID of the first Initial"); }},
      {"server_name", "Which server name (SNI) does the ClientHello inside that Initial carry (read without the key log)?",
       "a host name", [](const Variant& v) { return quicServerName(v); }},
      {"alpn", "Which application protocol does your client offer in ALPN?", "an ALPN name",
       [](const Variant&) { return std::string("h3"); }},
      {"client_initial_key", "What is the client's Initial packet protection key (quic key), derived from that DCID?",
       "32 hex digits", [](const Variant&) { return ownRun("`tlslab keys quic-initial --dcid DCID`, client quic key"); }},
      {"client_hp_key", "And the client's Initial header protection key (quic hp)?", "32 hex digits",
       [](const Variant&) { return ownRun("`tlslab keys quic-initial --dcid DCID`, client quic hp"); }},
      {"one_rtt_packets", "How many 1-RTT (short header) packets are in your capture, both directions together?",
       "a number", [](const Variant&) { return ownRun("the 1-RTT packet count"); }},
      {"page_token", "Which token is on the page the server sent you (only the key log opens it)?", "12 hex digits",
       [](const Variant& v) { return quicPageToken(v); }},
  };
  lab.hints = {
      "In your workspace: `sudo tlslab lab run quic -o quic` (capturing needs root or CAP_NET_RAW). It uses your "
      "server name and your page, and keeps quic/quic.pcapng (no keys) and quic/keys.log.",
      "`tlslab dissect quic/quic.pcapng` without --keylog: the Initial packets open anyway, and the ClientHello is "
      "there; the first line of the connection names the DCID the Initial keys come from.",
      "`tlslab keys quic-initial --dcid DCID` is RFC 9001 §5.2 step by step: initial_secret, client in / server in, "
      "then quic key, quic iv and quic hp for each side.",
      "Short-header packets are 1-RTT; `tlslab dissect` counts them per space. The page needs "
      "`--keylog quic/keys.log`.",
  };
  lab.personal = [](const Variant& v) {
    return std::vector<std::string>{
        "Your QUIC client asks for `" + quicServerName(v) + "`, and your server's page carries a token of your own: "
        "run `tlslab lab run quic -o quic` inside this workspace (or with --student), and the checker reads quic/."};
  };
  lab.checks = {
      {"initial_dcid", "the connection ID the Initial keys come from", "initial_dcid", false, lab15::checkInitialDcid},
      {"server_name", "the server name, read without keys", "server_name", false, lab15::checkServerName},
      {"alpn", "the application protocol, read without keys", "alpn", false, lab15::checkAlpn},
      {"client_initial_key", "the client Initial key, derived from the DCID", "client_initial_key", false,
       lab15::checkInitialKey},
      {"client_hp_key", "the client Initial header protection key", "client_hp_key", false, lab15::checkHpKey},
      {"one_rtt_packets", "the 1-RTT packets an observer counts", "one_rtt_packets", false, lab15::checkOneRttPackets},
      {"page_token", "the page, opened with the key log", "page_token", false, lab15::checkPageToken},
  };
  return lab;
}

}  // namespace

const LabDefinition& lab15Quic() {
  static const LabDefinition lab = define();
  return lab;
}

}  // namespace tlslab::course
