// `tlslab lab run quic`: ngtcp2's client and server on loopback, captured with
// tlslab's libpcap, read first as an eavesdropper (no keys), then with the
// client's key log (scenarios::runQuicLab).
#include <fmt/core.h>

#include <iostream>

#include "cli/LabArgs.hpp"
#include "cli/TracePrinter.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/scenarios/QuicLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "(none)" : out;
}

nlohmann::json observedJson(const QuicObserved& seen) {
  nlohmann::json spaces = nlohmann::json::array();
  for (const auto& s : seen.spaces)
    spaces.push_back({{"space", s.space}, {"client", s.clientPackets}, {"server", s.serverPackets}, {"opened", s.opened}});
  return {{"dcid", toHex(seen.dcid)}, {"retryDcid", toHex(seen.retryDcid)}, {"clientHello", seen.clientHello}, {"sni", seen.sni}, {"alpn", seen.alpn},
          {"spaces", spaces}};
}

void printObserved(std::ostream& out, const QuicObserved& seen) {
  out << "  the client's first Initial: Destination Connection ID " << toHex(seen.dcid) << "\n"
      << "    initial_secret = HKDF-Extract(the published QUIC v1 salt, that DCID) (RFC 9001 §5.2): the Initial keys\n"
      << "    come from nothing secret (tlslab keys quic-initial --dcid " << toHex(seen.dcid) << ")\n";
  if (!seen.retryDcid.empty())
    out << "  after the server's Retry the client's Initials go to the DCID " << toHex(seen.retryDcid)
        << ", and their keys are\n    derived again from it: still nothing secret\n";
  if (seen.clientHello)
    out << "  the ClientHello inside the Initials: SNI " << (seen.sni.empty() ? "(none)" : seen.sni) << ", ALPN offered "
        << joined(seen.alpn) << "\n";
  else
    out << "  the ClientHello could not be read out of the Initials\n";
  out << "  packets opened:";
  const char* sep = " ";
  for (const auto& s : seen.spaces) {
    const bool clear = s.space == "Retry" || s.space == "Version Negotiation";  // never encrypted
    out << (clear ? fmt::format("{}{} {} (not encrypted)", sep, s.space, s.packets())
                  : fmt::format("{}{} {} of {}", sep, s.space, s.opened, s.packets()));
    sep = "; ";
  }
  out << "\n  everything after the Initials is under keys from the (EC)DHE exchange: only the key log opens it\n";
}

}  // namespace

int runQuicLab(const LabArgs& args) {
  QuicLabOptions options;
  options.certsDir = certsDir();
  options.retry = args.retry;
  if (!args.serverName.empty()) options.serverName = args.serverName;
  if (!args.page.empty()) options.page = args.page;
  if (auto missing = quicLabPrerequisites(); !missing.empty()) {
    std::cerr << "tlslab lab run quic: " << missing << "\n";
    return 1;
  }
  if (!args.json)
    std::cout << "The QUIC lab (tutorials/15-quic.md)\n\n"
              << "TLS 1.3 without records: Debian's ngtcp2 examples (a QUIC stack of their own, with GnuTLS) fetch one\n"
              << "page over HTTP/3 on 127.0.0.1" << (options.retry ? ", the server asking for a Retry first" : "")
              << ", while tlslab captures lo with libpcap.\n\n";
  QuicLabRun run = scenarios::runQuicLab(options);
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab run quic: " << run.setupError << "\n";
    return 1;
  }
  std::string saved;
  if (!args.outDir.empty()) {
    if (auto err = saveQuicRun(run, args.outDir); !err.empty()) {
      std::cerr << "tlslab lab run quic: " << err << "\n";
      return 1;
    }
    saved = args.outDir;
  }
  const model::TraceConnection* conn = run.connection();
  const model::TraceConnection* blind = nullptr;
  for (const auto& c : run.keyless.connections)
    if (c.quic) blind = &c;
  if (args.json) {
    nlohmann::json j = {{"lab", "quic"},           {"port", run.port},
                        {"url", run.url},          {"server", run.serverCommand},
                        {"client", run.clientCommand}, {"clientResult", run.clientResult},
                        {"clientOk", run.clientOk}, {"captureFilter", run.captureFilter},
                        {"frames", run.frames},    {"saved", saved}};
    if (conn) j["page"] = http3ResponseBody(*conn);
    if (blind) j["withoutKeys"] = observedJson(observeQuic(*blind));
    if (conn) j["withKeys"] = observedJson(observeQuic(*conn));
    j["trace"] = model::toJson(run.trace);
    std::cout << model::toJsonText(j, 2) << "\n";
    return run.ok() ? 0 : 1;
  }
  std::cout << "  server:  " << run.serverCommand << "\n"
            << "  client:  " << run.clientCommand << "\n"
            << "           " << run.hostsNote << "; " << run.clientResult << "\n"
            << "  capture: lo, filter \"" << run.captureFilter << "\", " << run.frames << " frames\n";
  if (!run.clientOk && !run.clientOutput.empty()) std::cout << "  the client said:\n" << run.clientOutput << "\n";
  if (!conn || !blind) {
    std::cout << "\nno QUIC connection in the capture\n";
    return 1;
  }
  std::cout << "\n1. Without keys: what anyone on the path reads\n";
  printObserved(std::cout, observeQuic(*blind));
  std::cout << "\n2. With the client's key log (SSLKEYLOGFILE, the same TLS 1.3 secrets as over TCP):\n";
  printQuicConnection(std::cout, *conn);
  if (const std::string page = http3ResponseBody(*conn); !page.empty())
    std::cout << "\n  the page, out of the HTTP/3 DATA frames of the server's stream 0 (RFC 9114 §7.2.1):\n    " << page
              << (page.back() == '\n' ? "" : "\n");
  if (!saved.empty()) {
    const std::string pcap = (std::filesystem::path(saved) / kQuicCaptureFile).string();
    const std::string keys = (std::filesystem::path(saved) / kQuicKeyLogFile).string();
    std::cout << "\nsaved: " << pcap << " (the capture alone, no keys) and " << keys << "\n"
              << "  tlslab dissect " << pcap << "                    the Initials, opened with keys from the DCID\n"
              << "  tlslab dissect " << pcap << " --keylog " << keys << "   everything\n"
              << "  tlslab-gui " << pcap << " --keylog " << keys << "\n";
  } else {
    std::cout << "\nthe capture was not kept: add -o DIR to save it (quic.pcapng and keys.log)\n";
  }
  return run.ok() ? 0 : 1;
}

}  // namespace tlslab::cli
