#pragma once
// The handshake-anatomy lab (tutorials/08-handshake-anatomy.md): the same
// lab client and server make three connections — TLS 1.3; TLS 1.2, the
// client capped at 1.2 so the 1.3-capable server must downgrade (and says so
// in its random, RFC 8446 §4.1.3); and TLS 1.3 against the same server told
// to take one group only, so the client's X25519 key share is refused with a
// HelloRetryRequest (§4.1.4). The client offers ALPN protocols and the
// server picks (RFC 7301). anatomyOf() then takes each connection apart:
// flights, round trips, what a passive observer without keys can read, the
// middlebox-compatibility ChangeCipherSpecs (Appendix D.4).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

namespace tlslab::scenarios {

enum class AnatomyKind { Tls13, Tls12, HelloRetry };
const char* anatomyKindName(AnatomyKind kind);  // "TLS 1.3", "TLS 1.2", "TLS 1.3 + HelloRetryRequest"
std::vector<AnatomyKind> allAnatomyKinds();

struct AnatomyOptions {
  std::filesystem::path certsDir;
  std::string host = "bank32.com";  // the name the client asks for (SNI)
  std::string chainPem, keyPem;     // a server certificate for `host` ("" = certs/bank32-rsa)
  std::vector<std::string> alpn = {"http/1.1", "h2"};  // what the client offers, in its order
  std::string hrrGroup = "P-384";   // the one group the server takes in the HelloRetry connection
  std::vector<AnatomyKind> order = allAnatomyKinds();  // the connections, in this order
  endpoints::Observer observer;
  // After each connection (the CLI prints its summary there).
  std::function<void(AnatomyKind, const endpoints::ClientRun&)> onConnectionDone;
};

// "" or what is wrong with the options, in the CLI's words.
std::string checkAnatomyOptions(const AnatomyOptions& options);

struct AnatomyRun {
  std::vector<AnatomyKind> kinds;           // per connection, in order
  std::vector<endpoints::ClientRun> runs;   // per connection
  std::vector<endpoints::ServerConnection> serverSide;  // both servers' view of every connection
  std::string serverName;
  std::string setupError;
  bool ok() const;  // every connection completed its request
  // Labelled "client (TLS 1.3)", "client (TLS 1.2)", ... for traceOfRun.
  std::vector<RunLeg> legs() const;
};

AnatomyRun runAnatomy(const AnatomyOptions& options);

// The run's capture as an eavesdropper has it: the same packets, no keys.
std::string observerPcapng(const AnatomyRun& run);
// The run's key log (both sides, each line once): what turns the observer's
// capture into the endpoints' view (`tlslab dissect --keylog`).
std::string anatomyKeyLog(const AnatomyRun& run);

// A group of consecutive records one side sent before waiting for the other.
struct Flight {
  model::Direction from = model::Direction::ClientToServer;
  std::vector<std::string> items;  // message names, "ChangeCipherSpec", "Application Data"
};

// One connection taken apart (from its trace with keys, and the same
// connection dissected without them).
struct HandshakeAnatomy {
  std::uint16_t version = 0;
  std::vector<Flight> flights;  // up to and including the client's first application data
  int roundTrips = 0;           // the server flights the client waited for before its first application data
  // What an observer without keys reads.
  std::vector<std::string> clearMessages;  // handshake messages readable on the wire
  std::size_t sealedRecords = 0;           // records it cannot open
  std::vector<std::string> observerCertificates;  // subjects of the certificates it can read
  std::string sni;
  std::vector<std::string> alpnOffered;  // in the ClientHello, in the client's order
  std::string alpnSelected;              // the server's choice
  bool alpnSelectedInClear = false;      // in the ServerHello (TLS 1.2) or in EncryptedExtensions (1.3)
  // Downgrade protection (RFC 8446 §4.1.3).
  Bytes serverRandom;
  std::string downgradeSentinel;  // "DOWNGRD\x01" (to 1.2), "DOWNGRD\x00" (to 1.1 or below), "" none
  // HelloRetryRequest (RFC 8446 §4.1.4).
  std::string firstKeyShare;  // the group of the first ClientHello's key share
  std::string retryGroup;     // the group the HelloRetryRequest asked for ("" none)
  // Middlebox compatibility (RFC 8446 Appendix D.4).
  std::size_t sessionIdLength = 0;  // the ClientHello's legacy_session_id
  struct Ccs {
    model::Direction from;
    std::string before, after;  // the message sent just before and just after it by the same side
  };
  std::vector<Ccs> changeCipherSpecs;
};

HandshakeAnatomy anatomyOf(const model::TraceConnection& withKeys, const model::TraceConnection& observed);

// A run read back twice: with its keys (traceOfRun: the endpoints' view) and
// without (observerPcapng: the eavesdropper's), each connection taken apart.
struct AnatomyReport {
  RunTrace traced;
  std::vector<HandshakeAnatomy> connections;  // per run connection, in order
  std::string error;
};
AnatomyReport anatomize(const AnatomyRun& run);
// The same for a capture and its key log (a lab workspace's materials): the
// connections in capture order.
struct CaptureAnatomy {
  model::Trace withKeys, observed;
  std::vector<HandshakeAnatomy> connections;
  std::string error;
};
CaptureAnatomy anatomizeCapture(ByteView observerPcapng, const std::string& keyLog);

// "44 4f 57 4e 47 52 44 01" for a random whose last 8 bytes are a sentinel.
std::string sentinelText(const std::string& sentinel);

}  // namespace tlslab::scenarios
