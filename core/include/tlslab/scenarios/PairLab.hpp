#pragma once
// The two-endpoint labs (tutorials/08-handshake-anatomy.md, resumption.md,
// starttls.md, 02-tampering.md): the lab server for bank32.com (or mail.bank32.com for SMTP) and
// a correct client in this process, on loopback. The CLI narrates a run and the GUI
// draws it; both get it from here so the two always show the same lab.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/Tamper.hpp"
#include "tlslab/scenarios/RunTrace.hpp"
#include "tlslab/scenarios/TamperLab.hpp"

namespace tlslab::scenarios {

enum class PairLab {
  Handshake,   // one HTTPS request
  Resumption,  // the same, then a second connection resuming the first session
  Starttls,    // SMTP in cleartext, STARTTLS, AUTH inside TLS
  Tamper,      // an on-path attacker without keys damages the client's request
};
const char* pairLabName(PairLab lab);  // "handshake", "resumption", "starttls", "tamper"
std::vector<PairLab> allPairLabs();

struct PairLabOptions {
  std::filesystem::path certsDir;
  std::string tls;               // "1.2", "1.3", or "" (both allowed, 1.3 wins)
  std::uint16_t port = 0;        // the server's port (0: a free one), e.g. for a capture filter
  endpoints::Observer observer;  // both endpoints' events as they happen
  std::string ciphers;           // TLS 1.2 suites, OpenSSL syntax (e.g. "AES128-SHA"; "" = OpenSSL's default)
  bool macThenEncrypt = false;   // CBC suites without encrypt_then_mac (RFC 7366): the original TLS 1.2 records
  bool tickets = true;           // false: the server issues no tickets, so TLS 1.2 resumes by session ID
  // (EC)DHE groups, OpenSSL list syntax ("" = OpenSSL's default): the client
  // sends a key share for its first; a server that accepts none of the
  // client's shares asks for another with a HelloRetryRequest.
  std::string groups;            // the client's, e.g. "P-256", "ffdhe2048", "X25519:P-256"
  std::string serverGroups;      // the server's, e.g. "P-256"
  // Handshake: the ALPN protocols the client offers (RFC 7301); the server picks from labServerAlpn().
  std::vector<std::string> alpn;
  // Handshake and Tamper: the same conversation over cleartext TCP (no TLS at all).
  bool plain = false;
  // Tamper: what the attacker does to the first record of the request (with
  // `plain`, to the first write), and for FlipByte which byte and bits: of
  // the record, header included (-1: its last byte), or with `plain` of the
  // request (-1: its first byte).
  endpoints::Tamper::Action tamper = endpoints::Tamper::Action::FlipByte;
  long tamperOffset = -1;
  std::uint8_t tamperMask = 0x01;
  // Called after each client connection ends, before the next one starts
  // (the CLI prints its summary there, between the two resumption runs).
  std::function<void(const endpoints::ClientRun&, std::size_t index)> onClientDone;
};

struct PairLabRun {
  PairLab lab = PairLab::Handshake;
  bool plain = false;  // the run had no TLS (PairLabOptions::plain)
  endpoints::Tamper::Action tamper = endpoints::Tamper::Action::None;  // Tamper: the attack
  std::string serverName;                 // the host name the client asked for
  std::vector<endpoints::ClientRun> runs;  // one, or two when resuming
  std::vector<endpoints::ServerConnection> serverSide;  // the server's view of each connection
  std::string setupError;                 // the server could not start: no run at all

  bool ok() const;  // set up, and the last conversation completed
  // The runs as legs for traceOfRun, labelled "client" / "client (resuming)".
  std::vector<RunLeg> legs() const;
};

PairLabRun runPairLab(PairLab lab, const PairLabOptions& options);
// The lab server's ALPN protocols, most preferred first (it chooses: RFC 7301 §3.2).
const std::vector<std::string>& labServerAlpn();
// "" or why `options` make no sense for `lab` (runPairLab reports it as its setupError).
std::string checkPairLabOptions(PairLab lab, const PairLabOptions& options);

// How the run's records were protected, from its own capture: "AES-128-CBC,
// MAC-then-encrypt (RFC 5246 §6.2.3.2)"; "" when no record was opened.
std::string recordProtection(const RunTrace& traced);

}  // namespace tlslab::scenarios
