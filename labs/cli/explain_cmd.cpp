// `tlslab explain`: annotate pasted TLS bytes field by field, the way "The
// Illustrated TLS Connection" does for one connection, for any input.
#include <fmt/core.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/Commands.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/pki/CertificateInfo.hpp"
#include "tlslab/util/Bytes.hpp"
#include "tlslab/wire/Explain.hpp"

namespace tlslab::cli {
namespace {

struct ExplainArgs {
  std::string input;
  bool json = false;
  bool message = false;
  bool brief = false;
};

bool looksLikeText(const std::string& data) {
  for (unsigned char ch : data)
    if (!(std::isprint(ch) || std::isspace(ch))) return false;
  return true;
}

// Hex text (argument, file or stdin) or raw binary (file or stdin).
std::optional<Bytes> decodeInput(const std::string& data, std::string& error) {
  if (looksLikeText(data)) {
    auto bytes = fromHex(data);
    if (!bytes) {
      error = "input is neither valid hex (only 0-9 a-f, spaces, colons and newlines, an even number of digits) "
              "nor a binary file";
      return std::nullopt;
    }
    return bytes;
  }
  return Bytes(data.begin(), data.end());
}

bool readAll(std::istream& in, std::string& out) {
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// DER bytes are contiguous in the message, so stream offsets follow from the
// DER's own (exact unless a record boundary falls inside the certificate).
void setStreamOffsets(model::Field& f, std::size_t derOffset, std::size_t derStream) {
  if (f.offset >= derOffset) f.streamOffset = derStream + (f.offset - derOffset);
  for (auto& c : f.children) setStreamOffsets(c, derOffset, derStream);
}

// Attaches the X.509 breakdown (tlslab::pki) under each certificate entry:
// wire itself never touches OpenSSL (DESIGN.md module rules).
void attachCertificates(model::Field& node, const wire::ExplainUnit& unit) {
  if (node.name == "cert_data") {
    for (const auto& child : node.children) {
      if (child.name != "der") continue;
      model::Field x509 = pki::describeCertificate(unit.rawOf(child), child.offset);
      if (child.streamOffset) setStreamOffsets(x509, child.offset, *child.streamOffset);
      node.children.push_back(std::move(x509));
      return;
    }
  }
  for (auto& child : node.children) attachCertificates(child, unit);
}

void run(const ExplainArgs& args, Context& ctx) {
  std::string data;
  std::error_code ec;
  if (args.input.empty() || args.input == "-") {
    readAll(std::cin, data);
  } else if (std::filesystem::is_regular_file(args.input, ec)) {
    std::ifstream file(args.input, std::ios::binary);
    if (!file || !readAll(file, data)) {
      std::cerr << "tlslab explain: cannot read " << args.input << "\n";
      ctx.exitCode = 2;
      return;
    }
  } else {
    data = args.input;
  }
  std::string error;
  auto bytes = decodeInput(data, error);
  if (!bytes) {
    std::cerr << "tlslab explain: " << error << "\n";
    ctx.exitCode = 2;
    return;
  }
  if (bytes->empty()) {
    std::cerr << "tlslab explain: no input bytes (give hex as an argument, a file, or on stdin)\n";
    ctx.exitCode = 2;
    return;
  }
  wire::ExplainResult result = args.message ? wire::explainMessages(*bytes) : wire::explainRecords(*bytes);
  for (auto& record : result.records)
    for (auto& unit : record.contents)
      if (unit.kind == "handshake") attachCertificates(unit.tree, unit);
  if (args.json)
    std::cout << model::toJsonText(wire::toJson(result), 2) << "\n";  // wire bytes may not be UTF-8
  else
    std::cout << wire::toText(result, !args.brief);
  ctx.exitCode = result.hasErrors() ? 1 : 0;
}

}  // namespace

void registerExplainCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* cmd = app.add_subcommand("explain", "Annotate TLS bytes: every field with offsets, raw bytes, value and "
                                                "meaning");
  cmd->footer(
      "INPUT is hex (spaces, colons, newlines allowed), a file holding hex or raw binary records, or '-' / nothing "
      "for stdin.\n"
      "Exit status: 0 = decoded without errors; 1 = decoded, but error diagnostics were found (truncated, trailing "
      "bytes, bad lengths, ...; the tree is still printed); 2 = unusable input (bad hex, empty, unreadable file).\n"
      "Example: echo 16030100...  | tlslab explain");
  cmd->add_option("input", args->input, "Hex bytes, a file (hex or binary), or '-' for stdin");
  cmd->add_flag("--json", args->json, "Print the tree as JSON");
  cmd->add_flag("--message", args->message, "Input is a bare handshake message (no 5-byte record header)");
  cmd->add_flag("--brief", args->brief, "Leave out the one-sentence meanings");
  cmd->callback([args, &ctx] { run(*args, ctx); });
}

}  // namespace tlslab::cli
