#include "Lab14Runs.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ProgramChecksServer.hpp"
#include "tlslab/pki/Issue.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/pki/Summary.hpp"
#include "tlslab/util/Paths.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"

namespace tlslab::course::lab14 {

namespace fs = std::filesystem;
using endpoints::AttackerCertificate;

Values valuesOf(const Variant& variant) {
  // The attackers a correct wrapper refuses for four different reasons.
  static constexpr std::array kAttackers{AttackerCertificate::AttackerOwn, AttackerCertificate::SelfSigned,
                                         AttackerCertificate::RogueSigned, AttackerCertificate::LeafSignedLeaf};
  Values values;
  values.host = studentHost(variant);
  values.clientCn = variant.student() + "-" + variant.hex("client-cn", 4);
  values.password = variant.password();
  values.attacker = kAttackers[variant.number("attacker", 0, kAttackers.size() - 1)];
  return values;
}

std::string attackerIssuer(AttackerCertificate attacker) {
  // The folders of the lab PKI the proxy takes its prepared chains from (endpoints/MitmProxy.cpp).
  const char* dir = attacker == AttackerCertificate::AttackerOwn      ? "attacker32"
                    : attacker == AttackerCertificate::SelfSigned     ? "gallery/self-signed"
                    : attacker == AttackerCertificate::RogueSigned    ? "gallery/untrusted-root"
                    : attacker == AttackerCertificate::LeafSignedLeaf ? "gallery/leaf-signed-leaf"
                                                                       : nullptr;
  if (dir == nullptr) return {};
  auto leaf = pki::summarizeCertificateFile(certsDir() / dir / "chain.pem");
  return leaf ? leaf->issuerCommonName : std::string();
}

std::string issueClient(const fs::path& certsDir, const std::string& cn, bool rogue, const fs::path& dir,
                        const std::string& stem) {
  const fs::path ca = certsDir / (rogue ? "rogue-ca" : "issuing-ca");
  auto caCert = pki::readCertificate(ca / "cert.pem");
  auto caKey = pki::readPrivateKey(ca / "key.pem");
  if (!caCert || !caKey) return "cannot read the CA in " + ca.string();
  auto leaf = pki::issueLeaf(rogue ? "Rogue" : "tlslab course", cn, {}, pki::Purpose::TlsClient, caCert->get(),
                             caKey->get());
  if (!leaf) return "cannot issue a client certificate for " + cn + ": " + leaf.error();
  std::ofstream chain(dir / (stem + "-chain.pem"), std::ios::trunc);
  chain << pki::certificatesPem({leaf->cert.get(), caCert->get()});
  std::ofstream key(dir / (stem + "-key.pem"), std::ios::trunc);
  key << pki::privateKeyPem(leaf->key.get(), pki::teachingKeyHeader("a course client certificate for " + cn));
  if (!chain || !key) return "cannot write the client certificate into " + dir.string();
  return {};
}

namespace {

constexpr const char* kServerStarter = R"(; Lab 14: stunnel4 in front of the plaintext application (server mode).
; TLS clients connect to `accept`; stunnel forwards their bytes in cleartext to `connect`.
; Run it with `stunnel4 stunnel-server.conf` in this folder (Ctrl-C stops it).
foreground = yes
pid =

[app]
accept = 127.0.0.1:8415
connect = 127.0.0.1:8014
cert = server/chain.pem
key = server/key.pem
; TODO: require a client certificate issued under the lab root (root-ca.pem).
;       stunnel asks for none unless told: see CAfile, verifyChain and requireCert in `man stunnel4`.
)";

constexpr const char* kClientStarter = R"(; Lab 14: stunnel4 for a plaintext client (client mode).
; The plaintext client connects to `accept`; stunnel opens TLS to bank32.com at `connect`
; (127.0.0.66: where the poisoned name resolution of the lab sends it).
; Run it with `stunnel4 stunnel-client.conf` in this folder (Ctrl-C stops it).
foreground = yes
pid =

[bank]
client = yes
accept = 127.0.0.1:8017
connect = 127.0.0.66:9414
; TODO: stunnel checks nothing about the server unless told (its default is verifyChain = no).
;       Make it verify the chain up to root-ca.pem and the name bank32.com: CAfile, verifyChain, checkHost.
)";

}  // namespace

std::string writeStunnelStarters(const fs::path& workspace) {
  for (auto [name, text] : {std::pair{"stunnel-server.conf", kServerStarter}, std::pair{"stunnel-client.conf", kClientStarter}}) {
    std::ofstream out(workspace / name, std::ios::trunc);
    out << text;
    if (!out) return std::string("cannot write ") + name;
  }
  return {};
}

Scratch::Scratch() {
  std::string pattern = (fs::temp_directory_path() / "tlslab-lab14-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    error = "cannot make a temporary folder";
  else
    dir = pattern;
}

Scratch::~Scratch() {
  std::error_code ec;
  if (!dir.empty()) fs::remove_all(dir, ec);
}

scenarios::WrappedServerRun wrappedServerRun(const CheckEnv& env, const Values& values, std::string& error) {
  scenarios::WrappedServerRun run;
  Scratch scratch;
  if (!scratch.error.empty()) {
    error = scratch.error;
    return run;
  }
  if (error = issueClient(env.certsDir, values.clientCn, false, scratch.dir, "client"); !error.empty()) return run;
  auto server = issueStudentServer(env.certsDir, values.host);
  if (!server) {
    error = server.error();
    return run;
  }
  scenarios::WrappedServerOptions options;
  options.certsDir = env.certsDir;
  options.host = values.host;
  options.chainPem = server->chainPem;
  options.keyPem = server->keyPem;
  options.clientCaFile = env.certsDir / "root-ca" / "cert.pem";
  options.clients = {{scratch.dir / "client-chain.pem", scratch.dir / "client-key.pem"}, {}};
  run = scenarios::runWrappedServer(options);
  error = run.setupError;
  return run;
}

scenarios::WrappedClientRun wrappedClientRun(const CheckEnv& env, const Values& values, endpoints::VerifyMode verify) {
  scenarios::WrappedClientOptions options;
  options.certsDir = env.certsDir;
  options.attacker = values.attacker;
  options.verify = verify;
  options.user = env.variant->student();
  options.password = values.password;
  return scenarios::runWrappedClient(options);
}

std::string stunnelProgram() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  std::vector<std::string> all;
  while (std::getline(dirs, dir, ':')) all.push_back(dir);
  for (const char* name : {"stunnel4", "stunnel"})
    for (const auto& d : all)
      if (!d.empty() && ::access((fs::path(d) / name).c_str(), X_OK) == 0) return (fs::path(d) / name).string();
  return {};
}

namespace {

std::string trimmed(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

std::string lowered(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

CheckConfig withCheckPorts(const std::string& config, const std::string& fileName, std::uint16_t acceptPort,
                           const std::string& connectAddress, std::uint16_t connectPort) {
  CheckConfig out;
  if (config.size() > 64 * 1024) {
    out.error = fileName + " is over 64 KiB: is it really a stunnel configuration?";
    return out;
  }
  out.text = "; " + fileName + " as `tlslab lab check` runs it: its own ports, in the foreground\nforeground = yes\npid =\n";
  std::istringstream in(config);
  std::string line;
  int services = 0, accepts = 0, connects = 0;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string text = trimmed(line);
    if (text.empty() || text[0] == ';' || text[0] == '#') continue;
    if (text[0] == '[') {
      ++services;
      out.text += text + "\n";
      continue;
    }
    auto equals = text.find('=');
    if (equals == std::string::npos) {
      out.error = fmt::format("{} line {}: «{}» is not `option = value`", fileName, number, text);
      return out;
    }
    const std::string key = lowered(trimmed(text.substr(0, equals)));
    if (services == 0 && (key == "foreground" || key == "pid" || key == "output" || key == "setuid" ||
                          key == "setgid" || key == "chroot"))
      continue;
    if (services > 0 && key == "accept") {
      ++accepts;
      out.text += fmt::format("accept = 127.0.0.1:{}\n", acceptPort);
    } else if (services > 0 && key == "connect") {
      ++connects;
      out.text += fmt::format("connect = {}:{}\n", connectAddress, connectPort);
    } else {
      out.text += text + "\n";
    }
  }
  if (services != 1)
    out.error = fmt::format("{} has {} services ([name] sections); the check runs exactly one", fileName, services);
  else if (accepts != 1 || connects != 1)
    out.error = fileName + "'s service needs one `accept = ADDRESS:PORT` and one `connect = ADDRESS:PORT` line";
  return out;
}

StunnelRunner::StunnelRunner(fs::path workspace, std::string fileName, std::string config)
    : workspace_(std::move(workspace)), fileName_(std::move(fileName)), config_(std::move(config)) {}

StunnelRunner::~StunnelRunner() { stopAll(); }

scenarios::StartWrapper StunnelRunner::starter() {
  return [this](const std::string& forwardAddress, std::uint16_t forwardPort) {
    scenarios::ExternalWrapper at;
    if (!scratch_.error.empty()) {
      at.error = scratch_.error;
      return at;
    }
    const std::string program = stunnelProgram();
    if (program.empty()) {
      at.error = "stunnel4 is not installed (scripts/setup-deps.sh installs it)";
      return at;
    }
    at.port = detail::freeLoopbackPort();
    CheckConfig config = withCheckPorts(config_, fileName_, at.port, forwardAddress, forwardPort);
    if (!config.error.empty()) {
      at.error = config.error;
      return at;
    }
    const fs::path file = scratch_.dir / fmt::format("run{}-{}", running_.size() + 1, fileName_);
    std::ofstream(file, std::ios::trunc) << config.text;
    ProgramSpec spec;
    spec.argv = {program, file.string()};
    spec.cwd = workspace_;  // the configuration's relative paths (server/chain.pem) are the workspace's
    spec.timeout = std::chrono::milliseconds(20000);
    auto started = BackgroundProgram::start(spec);
    if (!started) {
      at.error = "stunnel could not start: " + started.error();
      return at;
    }
    running_.push_back(std::move(started.value()));
    if (!running_.back()->waitForListener(at.address, at.port, std::chrono::milliseconds(3000))) {
      ProgramResult result = running_.back()->stop();
      std::istringstream err(result.err);
      std::string line, last;
      while (std::getline(err, line))
        if (line.find("LOG3") != std::string::npos || line.find("LOG4") != std::string::npos) last = line;
      at.error = "stunnel did not start with your " + fileName_ + " (it " + result.describe() + ")" +
                 (last.empty() ? "" : ": " + last.substr(last.find(':', last.find("LOG")) + 2));
    }
    return at;
  };
}

std::vector<std::string> StunnelRunner::stopAll() {
  for (auto& program : running_) {
    if (!program) continue;
    ProgramResult result = program->stop();
    std::istringstream err(result.err);
    std::string line;
    while (std::getline(err, line)) log_.push_back(line);
  }
  running_.clear();
  return log_;
}

std::vector<std::string> stunnelHighlights(const std::vector<std::string>& log, std::size_t max) {
  std::vector<std::string> out;
  for (const auto& line : log) {
    const bool interesting = line.find("LOG3") != std::string::npos || line.find("LOG4[") != std::string::npos ||
                             line.find("Certificate accepted") != std::string::npos ||
                             line.find("CERT:") != std::string::npos;
    if (!interesting || line.find("Insecure file permissions") != std::string::npos) continue;
    auto at = line.find(": ", line.find("LOG"));
    out.push_back("stunnel: " + (at == std::string::npos ? line : line.substr(at + 2)));
    if (out.size() == max) break;
  }
  return out;
}

}  // namespace tlslab::course::lab14
