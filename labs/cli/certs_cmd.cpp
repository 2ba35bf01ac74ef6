// `tlslab certs`: generate, list, verify and show the lab PKI.
#include <fmt/core.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/Commands.hpp"
#include "cli/CertsOutput.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Generator.hpp"
#include "tlslab/pki/Verify.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {
namespace fs = std::filesystem;
namespace {

struct CertsArgs {
  std::string certsDir;  // --certs override, else tlslab::certsDir()
  std::string out;
  std::string name;
  std::string host;
  bool noHost = false;
  std::string trust = "lab";
  bool cnFallback = false;
  bool crl = false;
  std::string file;
};

fs::path resolveCertsDir(const CertsArgs& args) { return args.certsDir.empty() ? certsDir() : fs::path(args.certsDir); }

int runGenerate(const CertsArgs& args) {
  auto files = pki::generateLabPki(args.out);
  if (!files) {
    std::cerr << "tlslab certs generate: " << files.error() << "\n";
    return 1;
  }
  for (const auto& file : *files) std::cout << (fs::path(args.out) / file).string() << "\n";
  std::cout << fmt::format("wrote {} files under {} (private keys are public teaching material)\n", files->size(),
                           args.out);
  return 0;
}

int runList(const CertsArgs& args) {
  printCatalog(std::cout, resolveCertsDir(args));
  return 0;
}

int runVerify(const CertsArgs& args) {
  const pki::CatalogEntry* entry = pki::findEntry(args.name);
  if (entry == nullptr) {
    std::cerr << "tlslab certs verify: unknown name '" << args.name << "' (see `tlslab certs list`)\n";
    return 2;
  }
  auto trust = pki::parseTrustStore(args.trust);
  if (!trust) {
    std::cerr << "tlslab certs verify: unknown trust store '" << args.trust << "' (lab, lab+rogue, hashed)\n";
    return 2;
  }
  pki::VerifyOptions options = pki::clientOptions(*entry, *trust);
  if (!args.host.empty()) options.host = args.host;
  if (args.noHost) options.host.reset();
  options.allowCnFallback = args.cnFallback;
  options.checkCrl = options.checkCrl || args.crl;
  auto verdict = pki::verifyEntry(resolveCertsDir(args), *entry, options);
  if (!verdict) {
    std::cerr << "tlslab certs verify: " << verdict.error() << "\n";
    return 2;
  }
  printVerification(std::cout, *entry, options, *verdict);
  return verdict->ok ? 0 : 1;
}

int runShow(const CertsArgs& args) {
  fs::path file = args.file;
  if (!fs::exists(file) && fs::exists(resolveCertsDir(args) / file)) file = resolveCertsDir(args) / file;
  return printCertificateFile(std::cout, std::cerr, file);
}

}  // namespace

void registerCertsCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CertsArgs>();
  CLI::App* certs = app.add_subcommand("certs", "The lab PKI and the bad-certificate gallery");
  certs->require_subcommand(1);
  certs->add_option("--certs", args->certsDir, "PKI folder (default: $TLSLAB_HOME/certs)");

  CLI::App* gen = certs->add_subcommand("generate", "Generate the whole lab PKI with OpenSSL's X509 API");
  gen->add_option("--out", args->out, "Output folder")->required();
  gen->callback([&ctx, args] { ctx.exitCode = runGenerate(*args); });

  CLI::App* list = certs->add_subcommand("list", "List every chain, gallery entry and what it teaches");
  list->callback([&ctx, args] { ctx.exitCode = runList(*args); });

  CLI::App* verify = certs->add_subcommand("verify", "Verify a named chain with OpenSSL, depth by depth");
  verify->add_option("NAME", args->name, "Entry name, e.g. expired, bank32-rsa")->required();
  verify->add_option("--host", args->host, "Host name to check (default: the entry's)");
  verify->add_flag("--no-host", args->noHost, "Skip the host name check (the classic client bug)");
  verify->add_option("--trust", args->trust, "Trust store: lab, lab+rogue or hashed")->capture_default_str();
  verify->add_flag("--cn-fallback", args->cnFallback, "Accept the subject CN when there is no SAN (OpenSSL default)");
  verify->add_flag("--crl", args->crl, "Check the leaf against the Issuing CA's CRL");
  verify->callback([&ctx, args] { ctx.exitCode = runVerify(*args); });

  CLI::App* show = certs->add_subcommand("show", "Decode a certificate file field by field");
  show->add_option("FILE", args->file, "PEM or DER certificate (path, or relative to the PKI folder)")->required();
  show->callback([&ctx, args] { ctx.exitCode = runShow(*args); });

  // `--certs DIR` may also follow the action: `tlslab certs verify expired --certs DIR`.
  for (CLI::App* sub : {list, verify, show}) sub->fallthrough();
}

}  // namespace tlslab::cli
