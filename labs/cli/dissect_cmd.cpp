// `tlslab dissect CAPTURE`: every TLS connection in a capture, as a table,
// then per connection the ladder, the key derivation and the decrypted
// application data (or `--json`: the full Trace).
#include <fmt/core.h>

#include <iostream>

#include "cli/CaptureArgs.hpp"
#include "cli/RecordTables.hpp"
#include "cli/Commands.hpp"
#include "cli/TracePrinter.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace tlslab::cli {
namespace {

struct DissectArgs {
  std::string capture;
  KeyArgs keys;
  bool json = false;
  bool quiet = false;
  bool noPayloads = false;
  bool summaryOnly = false;
  bool segments = false;
  std::vector<std::string> filters;
};

// --filter terms, all of which must hold: N (connection index), sni:NAME,
// port:N, host:ADDRESS, version:1.2|1.3, suite:TEXT, undecrypted, starttls.
struct Filter {
  std::string key, value;
};

std::optional<Filter> parseFilter(const std::string& text) {
  Filter f;
  auto colon = text.find(':');
  if (colon == std::string::npos) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) return Filter{"index", text};
    if (text == "undecrypted" || text == "starttls" || text == "resumed") return Filter{text, ""};
    return std::nullopt;
  }
  f.key = text.substr(0, colon);
  f.value = text.substr(colon + 1);
  for (const char* known : {"sni", "port", "host", "version", "suite"})
    if (f.key == known) return f;
  return std::nullopt;
}

bool endpointHas(const std::string& endpoint, const std::string& host, const std::string& port) {
  auto colon = endpoint.rfind(':');
  if (colon == std::string::npos) return false;
  std::string h = endpoint.substr(0, colon), p = endpoint.substr(colon + 1);
  if (h.size() > 1 && h.front() == '[') h = h.substr(1, h.size() - 2);
  return (host.empty() || h == host) && (port.empty() || p == port);
}

bool matches(const model::TraceConnection& c, const Filter& f) {
  if (f.key == "index") return std::to_string(c.index) == f.value;
  if (f.key == "sni") return c.negotiated.sni.find(f.value) != std::string::npos;
  if (f.key == "port") return endpointHas(c.client, "", f.value) || endpointHas(c.server, "", f.value);
  if (f.key == "host") return endpointHas(c.client, f.value, "") || endpointHas(c.server, f.value, "");
  if (f.key == "version") return versionText(c.negotiated.version) == "TLS " + f.value;
  if (f.key == "suite") return c.negotiated.suiteName.find(f.value) != std::string::npos;
  if (f.key == "undecrypted") return c.decryption.kind != model::Decryption::Kind::Decrypted;
  if (f.key == "starttls") return !c.startTlsProtocol.empty();
  if (f.key == "resumed") return c.negotiated.resumption != model::Resumption::None;
  return false;
}

// --segments: the capture read once more, its TCP segments lined up with the records.
bool printSegments(const std::string& capture, keys::KeyStore& keys, const std::vector<const model::TraceConnection*>& shown) {
  scenarios::CaptureLayouts layouts = scenarios::recordLayouts(capture, keys);
  if (!layouts.error.empty()) {
    std::cerr << "tlslab dissect: " << capture << ": " << layouts.error << "\n";
    return false;
  }
  for (const auto* c : shown) {
    if (c->index >= layouts.connections.size()) continue;
    const auto& layout = layouts.connections[c->index];
    std::cout << fmt::format("\n=== connection {}: {} -> {} ===\n  TCP segments (frames) and the records in them:\n",
                             c->index, c->client, c->server);
    printSegmentTable(std::cout, layout);
    std::cout << "  records and the frames that carry them:\n";
    printRecordTable(std::cout, layout);
  }
  return true;
}

int runDissect(const DissectArgs& args) {
  std::vector<Filter> filters;
  for (const auto& text : args.filters) {
    auto f = parseFilter(text);
    if (!f) {
      std::cerr << fmt::format("tlslab dissect: unknown --filter '{}' (use N, sni:NAME, port:N, host:ADDRESS, "
                               "version:1.2|1.3, suite:TEXT, undecrypted, starttls or resumed)\n",
                               text);
      return 2;
    }
    filters.push_back(*f);
  }
  keys::KeyStore keys;
  if (!loadKeys(args.keys, keys, "dissect", args.quiet)) return 2;
  dissect::DissectOptions options;
  options.keepPayloads = !args.noPayloads;
  // The table alone needs no records: stream, so any capture size fits in memory.
  std::vector<std::size_t> recordCounts;
  const bool streaming = args.summaryOnly && !args.json;
  if (streaming) {
    options.keepPayloads = false;
    options.keepRecords = false;
    options.onRecord = [&](const model::TraceConnection& c, const model::TraceRecord&) {
      if (recordCounts.size() <= c.index) recordCounts.resize(c.index + 1, 0);
      ++recordCounts[c.index];
    };
  }
  bool readInPart = false;
  auto trace = dissectCapture(args.capture, keys, "dissect", args.quiet, options, &readInPart);
  if (!trace) return kExitUnusableInput;
  const int done = readInPart ? kExitReadInPart : 0;

  std::vector<const model::TraceConnection*> shown;
  for (const auto& c : trace->connections) {
    if (std::all_of(filters.begin(), filters.end(), [&](const Filter& f) { return matches(c, f); })) shown.push_back(&c);
  }
  if (args.json) {
    if (filters.empty()) {
      std::cout << model::toJsonText(*trace, 1) << "\n";
    } else {
      nlohmann::json out = {{"source", trace->source}, {"connections", nlohmann::json::array()},
                            {"diagnostics", nlohmann::json::array()}};
      for (const auto* c : shown) out["connections"].push_back(model::toJson(*c));
      for (const auto& d : trace->diagnostics) out["diagnostics"].push_back(model::toJson(d));
      std::cout << model::toJsonText(out, 1) << "\n";
    }
    return done;
  }
  std::cout << fmt::format("{}: {} TLS connection(s){}\n\n", trace->source, trace->connections.size(),
                           filters.empty() ? "" : fmt::format(", {} shown", shown.size()));
  printConnectionTable(std::cout, shown, streaming ? &recordCounts : nullptr);
  if (args.segments) {
    if (!printSegments(args.capture, keys, shown)) return 2;
  } else if (!args.summaryOnly) {
    for (const auto* c : shown) printConnection(std::cout, *c);
  }
  if (!trace->diagnostics.empty()) std::cout << "\n";
  for (const auto& d : trace->diagnostics) {
    std::cout << fmt::format("{}: {}{}\n", model::severityName(d.severity), d.where.empty() ? "" : d.where + ": ",
                             d.message);
  }
  return done;
}

}  // namespace

void registerDissectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DissectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dissect", "Dissect and decrypt the TLS connections in a capture (pcap, pcapng, .gz; keys embedded or given)");
  cmd->add_option("capture", args->capture, "Capture file")->required();
  addKeyOptions(cmd, args->keys);
  cmd->add_flag("--json", args->json, "Print the full result (every record, message, field and step) as JSON");
  cmd->add_option("--filter", args->filters,
                  "Only connections matching: N, sni:NAME, port:N, host:ADDRESS, version:1.2|1.3, suite:TEXT, "
                  "undecrypted, starttls, resumed (repeatable: all must match)");
  cmd->add_flag("--summary", args->summaryOnly, "Only the table of connections");
  cmd->add_flag("--segments", args->segments,
                "Per connection, the TCP segments (frames) and the records each carries, and every record with its "
                "frames, sequence number, inner type and padding")->excludes("--summary");
  cmd->add_flag("--no-payloads", args->noPayloads,
                "Do not keep application data (bounded memory for huge captures; records are still checked)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or key log warnings on stderr");
  cmd->footer(kCaptureExitCodes);
  cmd->callback([args, &ctx] { ctx.exitCode = runDissect(*args); });
}

}  // namespace tlslab::cli
