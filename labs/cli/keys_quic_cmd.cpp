// `tlslab keys quic-initial --dcid HEX`: RFC 9001 §5.2 done in front of the
// student. The Initial packets' keys come from the Destination Connection ID
// of the client's first Initial — in clear in every capture — and a salt
// published in the RFC, so anyone on the path can compute them:
//   initial_secret = HKDF-Extract(initial_salt, DCID)
//   client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", 32)   (and "server in")
//   key/iv/hp = HKDF-Expand-Label(secret, "quic key" / "quic iv" / "quic hp", "", 16/12/16)
#include <fmt/core.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/KeysQuic.hpp"
#include "cli/StepOutput.hpp"
#include "tlslab/crypto/Quic.hpp"
#include "tlslab/model/TraceJson.hpp"

namespace tlslab::cli {
namespace {

namespace quic = crypto::quic;

struct QuicInitialArgs {
  std::string dcid;
  std::string version = "v1";
  bool json = false;
};

std::optional<std::uint32_t> versionArg(const std::string& text) {
  if (text == "v1" || text == "1") return quic::kVersion1;
  if (text == "draft-29" || text == "29") return quic::kVersionDraft29;
  auto bytes = fromHex(text);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  const std::uint32_t v = (std::uint32_t{(*bytes)[0]} << 24) | (std::uint32_t{(*bytes)[1]} << 16) |
                          (std::uint32_t{(*bytes)[2]} << 8) | (*bytes)[3];
  return quic::knownVersion(v) ? std::optional(v) : std::nullopt;
}

int runQuicInitial(const QuicInitialArgs& a) {
  auto usage = [](const std::string& message) {
    std::cerr << "tlslab keys quic-initial: " << message << "\n";
    return 2;
  };
  if (a.dcid.empty()) return usage("--dcid is required: the Destination Connection ID of the client's first Initial (hex)");
  auto dcid = fromHex(a.dcid);
  if (!dcid) return usage("--dcid is not valid hex: \"" + a.dcid.substr(0, 40) + "\"");
  // RFC 9000 §17.2: a connection ID has at most 20 bytes; a client's first DCID at least 8 (§7.2).
  if (dcid->empty() || dcid->size() > 20)
    return usage(fmt::format("--dcid has {} bytes; a QUIC connection ID has 1 to 20 (RFC 9000 §17.2)", dcid->size()));
  auto version = versionArg(a.version);
  if (!version) return usage("--version is v1 (default), draft-29, or the 4-byte version in hex (00000001, ff00001d)");
  auto keys = quic::deriveInitialKeys(*version, *dcid);
  if (!keys) return usage(keys.error());
  if (a.json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : keys->steps) steps.push_back(model::toJson(step));
    auto side = [](const quic::PacketKeys& k) {
      return nlohmann::json{{"secret", toHex(k.secret)}, {"key", toHex(k.key)}, {"iv", toHex(k.iv)}, {"hp", toHex(k.hp)}};
    };
    nlohmann::json out = {{"version", quic::versionName(*version)}, {"dcid", toHex(*dcid)},
                          {"salt", toHex(quic::initialSalt(*version))}, {"initial_secret", toHex(keys->initialSecret)},
                          {"client", side(keys->client)}, {"server", side(keys->server)}, {"steps", steps}};
    std::cout << model::toJsonText(out, 2) << "\n";
    return 0;
  }
  std::cout << fmt::format("{} Initial keys from the Destination Connection ID {} (RFC 9001 §5.2)\n", quic::versionName(*version),
                           toHex(*dcid))
            << "  salt: " << toHex(quic::initialSalt(*version)) << " (published in the RFC, the same for every connection)\n"
            << "  Initial packets use AEAD_AES_128_GCM, and AES-128 for header protection (§5.4.3)\n\n";
  for (const auto& step : keys->steps) printStep(std::cout, step);
  std::cout << "\nIn short:\n";
  for (const auto& [who, k] : {std::pair{"client", &keys->client}, std::pair{"server", &keys->server}})
    std::cout << fmt::format("  {} Initial: quic key {}  quic iv {}  quic hp {}\n", who, toHex(k->key), toHex(k->iv),
                             toHex(k->hp));
  return 0;
}

}  // namespace

void addQuicInitialCommand(CLI::App& keys, Context& ctx) {
  static QuicInitialArgs args;
  auto* cmd = keys.add_subcommand("quic-initial",
                                  "A QUIC Initial packet's keys from the client's Destination Connection ID, step by step "
                                  "(RFC 9001 §5.2): no secret needed");
  cmd->add_option("--dcid", args.dcid, "the Destination Connection ID of the client's first Initial (hex)");
  cmd->add_option("--version", args.version, "the QUIC version: v1 (default) or draft-29 (its salt differs)");
  cmd->add_flag("--json", args.json, "JSON output");
  cmd->footer("The DCID is in clear in every Initial packet: `tlslab dissect CAPTURE` prints it for each QUIC connection.");
  cmd->callback([&ctx] { ctx.exitCode = runQuicInitial(args); });
}

}  // namespace tlslab::cli
