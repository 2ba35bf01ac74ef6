// `tlslab dissect CAPTURE`: every TLS connection in a capture, as a table,
// then per connection the ladder, the key derivation and the decrypted
// application data (or `--json` / `--jsonl`: the full Trace). Streamed
// (DESIGN.md, "Streaming dissect"): each connection is printed and freed once
// it has closed, so memory follows the connections open at once.
#include <fmt/core.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <thread>

#include "cli/CaptureArgs.hpp"
#include "cli/HeldOutput.hpp"
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
  bool jsonl = false;
  bool noStream = false;  // hidden: the whole Trace in memory, then printed (tests compare)
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

bool shownBy(const std::vector<Filter>& filters, const model::TraceConnection& c) {
  return std::all_of(filters.begin(), filters.end(), [&](const Filter& f) { return matches(c, f); });
}

// The connections of `trace` every filter lets through, in index order.
std::vector<const model::TraceConnection*> shownOf(const model::Trace& trace, const std::vector<Filter>& filters) {
  std::vector<const model::TraceConnection*> shown;
  for (const auto& c : trace.connections)
    if (shownBy(filters, c)) shown.push_back(&c);
  return shown;
}

// The trace-level facts that close --jsonl: the last line, told apart from
// the connection lines by having no "index".
void writeJsonlTrailer(std::ostream& out, const model::Trace& trace, std::size_t connections) {
  nlohmann::json diagnostics = nlohmann::json::array();
  for (const auto& d : trace.diagnostics) diagnostics.push_back(model::toJson(d));
  nlohmann::json last = {{"source", trace.source}, {"connectionCount", connections}, {"diagnostics", diagnostics}};
  out << model::toJsonText(last) << "\n";
}

// Output written while the capture is read shows how far it got; a progress
// line on the same terminal would only cut into it.
bool progressHidden(const DissectArgs& args) { return args.quiet || isatty(STDOUT_FILENO) != 0; }

// --json, --jsonl: each connection written as soon as it (and, for --json,
// every earlier one) has finished; the trace's diagnostics and source last.
int streamJson(const DissectArgs& args, const std::vector<Filter>& filters, keys::KeyStore& keys,
               dissect::DissectOptions options) {
  model::TraceJsonWriter writer(std::cout, 1);
  std::size_t lines = 0;
  HeldOutput order(
      [&](const HeldOutput::Render& render) {
        writer.beginConnection();
        render(std::cout);
      },
      [&](std::istream& text, std::size_t length) {
        writer.beginConnection();
        copyText(text, length, std::cout);
      });
  options.onConnectionFinished = [&](model::TraceConnection& c) {
    if (args.jsonl) {  // closing order: the line names its index, nothing is held
      if (!shownBy(filters, c)) return;
      model::writeJson(std::cout, c);
      std::cout << "\n";
      ++lines;
      return;
    }
    HeldOutput::Render render;
    if (shownBy(filters, c)) render = [&](std::ostream& out) { writer.render(out, c); };
    order.finished(c.index, render);  // a failure is kept and reported by rest()
  };
  bool readInPart = false;
  auto trace = dissectCapture(args.capture, keys, "dissect", progressHidden(args), std::move(options), &readInPart);
  if (!trace) return kExitUnusableInput;
  if (!order.rest()) {
    std::cerr << "tlslab dissect: " << order.error() << "\n";
    return 1;
  }
  if (args.jsonl) {
    writeJsonlTrailer(std::cout, *trace, lines);
  } else {
    writer.finish(trace->source, trace->diagnostics);
    std::cout << "\n";
  }
  return readInPart ? kExitReadInPart : 0;
}

void printTraceDiagnostics(const model::Trace& trace) {
  if (!trace.diagnostics.empty()) std::cout << "\n";
  for (const auto& d : trace.diagnostics) {
    std::cout << fmt::format("{}: {}{}\n", model::severityName(d.severity), d.where.empty() ? "" : d.where + ": ",
                             d.message);
  }
}

// The whole Trace in memory, then printed: what dissect did before it
// streamed, kept (hidden, --no-stream) so tests can compare the two.
int runWhole(const DissectArgs& args, const std::vector<Filter>& filters, keys::KeyStore& keys,
             dissect::DissectOptions options) {
  bool readInPart = false;
  auto trace = dissectCapture(args.capture, keys, "dissect", args.quiet, options, &readInPart);
  if (!trace) return kExitUnusableInput;
  const int done = readInPart ? kExitReadInPart : 0;
  const auto shown = shownOf(*trace, filters);
  if (args.jsonl) {
    for (const auto* c : shown) std::cout << model::toJsonText(model::toJson(*c)) << "\n";
    writeJsonlTrailer(std::cout, *trace, shown.size());
  } else if (args.json) {
    nlohmann::json out = {{"source", trace->source}, {"connections", nlohmann::json::array()},
                          {"diagnostics", nlohmann::json::array()}};
    for (const auto* c : shown) out["connections"].push_back(model::toJson(*c));
    for (const auto& d : trace->diagnostics) out["diagnostics"].push_back(model::toJson(d));
    std::cout << model::toJsonText(out, 1) << "\n";
  } else {
    std::cout << fmt::format("{}: {} TLS connection(s){}\n\n", trace->source, trace->connections.size(),
                             filters.empty() ? "" : fmt::format(", {} shown", shown.size()));
    printConnectionTable(std::cout, shown);
    if (args.segments) {
      if (!printSegments(args.capture, keys, shown)) return 2;
    } else if (!args.summaryOnly) {
      for (const auto* c : shown) printConnection(std::cout, *c);
    }
    printTraceDiagnostics(*trace);
  }
  return done;
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
  if (args.noStream) return runWhole(args, filters, keys, options);
  // Each connection is printed or written when it finishes; the table needs only its row.
  options.keepFinishedDetail = false;
  if (args.json || args.jsonl) return streamJson(args, filters, keys, options);

  // The printout starts with the table, which needs every connection: a
  // cheap pass in bulk mode (no records kept) makes it while a second one,
  // on another thread, renders each connection's details as it finishes;
  // those wait in a spool until the table is out (DESIGN.md).
  const bool details = !args.segments && !args.summaryOnly;
  Spool spool(std::cout);
  std::optional<model::Trace> detailTrace;
  std::string orderError;
  // Pass 2 starts from the keys as given: pass 1 adds what it learns (keys
  // embedded in the capture, TLS 1.2 sessions), which a connection must not
  // see before the capture shows it.
  keys::KeyStore fresh;
  if (details && !loadKeys(args.keys, fresh, "dissect", true)) return 2;
  if (options.keepPayloads) options.payloadPreview = kPrintedBytesPerTurn;  // what printConnection shows
  std::thread secondPass;
  if (details) {
    secondPass = std::thread([&] {
      HeldOutput order([&](const HeldOutput::Render& render) { spool.write(render); },
                       [&](std::istream& text, std::size_t length) { spool.copy(text, length); });
      options.onConnectionFinished = [&](model::TraceConnection& c) {
        HeldOutput::Render render;  // none when filtered out: later ones wait for it all the same
        if (shownBy(filters, c)) render = [&](std::ostream& out) { printConnection(out, c); };
        order.finished(c.index, render);  // a failure is kept and reported by rest()
      };
      // Quiet: pass 1 shows the progress and says what is wrong with the file.
      detailTrace = dissectCapture(args.capture, fresh, "dissect", true, std::move(options), nullptr, /*again=*/true);
      if (detailTrace && !order.rest()) orderError = order.error();
    });
  }
  struct Join {
    std::thread& thread;
    ~Join() {
      if (thread.joinable()) thread.join();
    }
  } joinSecondPass{secondPass};

  dissect::DissectOptions bulk;
  bulk.keepPayloads = false;
  bulk.keepRecords = false;
  bulk.keepFinishedDetail = false;
  std::vector<std::size_t> recordCounts;
  bulk.onRecord = [&](const model::TraceConnection& c, const model::TraceRecord&) {
    if (recordCounts.size() <= c.index) recordCounts.resize(c.index + 1, 0);
    ++recordCounts[c.index];
  };
  bool readInPart = false;
  auto table = dissectCapture(args.capture, keys, "dissect", args.quiet, bulk, &readInPart);
  if (!table) return kExitUnusableInput;
  const int done = readInPart ? kExitReadInPart : 0;
  const auto shown = shownOf(*table, filters);
  std::cout << fmt::format("{}: {} TLS connection(s){}\n\n", table->source, table->connections.size(),
                           filters.empty() ? "" : fmt::format(", {} shown", shown.size()));
  printConnectionTable(std::cout, shown, &recordCounts);
  if (args.segments) {
    if (!printSegments(args.capture, keys, shown)) return 2;
  }
  if (!details) {
    printTraceDiagnostics(*table);
    return done;
  }
  std::cout.flush();  // the table shows while the details are being read
  spool.release();
  secondPass.join();
  if (!detailTrace) return kExitUnusableInput;
  if (std::string error = orderError.empty() ? spool.error() : orderError; !error.empty()) {
    std::cerr << "tlslab dissect: " << error << "\n";
    return 1;
  }
  printTraceDiagnostics(*detailTrace);
  return done;
}

}  // namespace

void registerDissectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DissectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dissect", "Dissect and decrypt the TLS connections in a capture (pcap, pcapng, .gz; keys embedded or given)");
  cmd->add_option("capture", args->capture, "Capture file")->required();
  addKeyOptions(cmd, args->keys);
  cmd->add_flag("--json", args->json,
                "Print the full result (every record, message, field and step) as one JSON document "
                "{\"connections\": [...], \"diagnostics\": [...], \"source\": ...}, written connection by "
                "connection as each one closes (in index order)");
  cmd->add_flag("--jsonl", args->jsonl,
                "JSON Lines: one line per connection (the same object as in --json's \"connections\", written as "
                "soon as the connection closes, so in closing order: see its \"index\"), then one last line "
                "{\"connectionCount\": N, \"diagnostics\": [...], \"source\": ...}")
      ->excludes("--json");
  cmd->add_flag("--no-stream", args->noStream, "Hold the whole capture's result in memory, then print it (for tests)")
      ->group("");
  cmd->add_option("--filter", args->filters,
                  "Only connections matching: N, sni:NAME, port:N, host:ADDRESS, version:1.2|1.3, suite:TEXT, "
                  "undecrypted, starttls, resumed (repeatable: all must match)");
  cmd->add_flag("--summary", args->summaryOnly, "Only the table of connections");
  cmd->add_flag("--segments", args->segments,
                "Per connection, the TCP segments (frames) and the records each carries, and every record with its "
                "frames, sequence number, inner type and padding")
      ->excludes("--summary")
      ->excludes("--jsonl");
  cmd->add_flag("--no-payloads", args->noPayloads,
                "Do not keep application data (less memory per open connection, a smaller --json; records are still checked)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or key log warnings on stderr");
  cmd->footer(kCaptureExitCodes);
  cmd->callback([args, &ctx] { ctx.exitCode = runDissect(*args); });
}

}  // namespace tlslab::cli
