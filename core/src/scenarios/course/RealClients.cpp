#include "tlslab/scenarios/course/RealClients.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

#include "../LabIdentity.hpp"
#include "RealClientsCommands.hpp"
#include "tlslab/endpoints/LabServer.hpp"

namespace tlslab::course {

using namespace realclients;
using endpoints::AttackerCertificate;
namespace fs = std::filesystem;

bool RealClientResult::consistent() const {
  return state == ClientState::Ran && refused != attackerGotRequest && passwordSent == attackerGotRequest;
}

const RealClientResult* RealClientsRun::find(RealClient client) const {
  auto it = std::find_if(clients.begin(), clients.end(), [&](const auto& r) { return r.client == client; });
  return it == clients.end() ? nullptr : &*it;
}

bool RealClientsRun::consistent() const {
  return setupError.empty() && std::all_of(clients.begin(), clients.end(), [](const auto& r) {
           return r.state == ClientState::Ran ? r.consistent() : r.state != ClientState::CouldNotRun;
         });
}

std::vector<std::string> RealClientsRun::passwordSenders() const {
  std::vector<std::string> names;
  for (const auto& r : clients)
    if (r.passwordSent) names.emplace_back(realClientName(r.client));
  return names;
}

std::string loginPasswordProblem(std::string_view password) {
  if (password.empty() || password.size() > 64) return "must be 1 to 64 characters";
  for (char c : password)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return std::string("may use letters, digits, '.', '_' and '-' only (it is posted as a form field), not '") + c + "'";
  return {};
}

namespace {

constexpr std::string_view kProxyAddress = "127.0.0.66";

// A fresh folder for one run's files, removed with everything in it.
class WorkDir {
 public:
  WorkDir() {
    std::string pattern = (fs::temp_directory_path() / "tlslab-real-clients-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// What the attacker's proxy logged from one client: its TLS connections and
// the application data that client sent through them.
struct ProxyLog {
  int connections = 0;
  std::string received;
};

ProxyLog proxyLog(const std::vector<endpoints::ServerConnection>& sessions) {
  ProxyLog log;
  log.connections = static_cast<int>(sessions.size());
  for (const auto& session : sessions)
    for (const auto& event : session.events)
      if (const auto* data = std::get_if<endpoints::AppDataEvent>(&event); data && !data->sent)
        log.received.append(data->bytes.begin(), data->bytes.end());
  return log;
}

endpoints::MitmConfig proxyConfig(const RealClientsOptions& options, std::uint16_t port) {
  endpoints::MitmConfig config;
  config.listenAddress = std::string(kProxyAddress);
  config.listenPort = port;  // the bank's port on the attacker's address: only the name's address changed
  config.targetAddress = "127.0.0.1";
  config.targetPort = port;
  config.certificate = options.strategy;
  config.certsDir = options.certsDir;
  return config;
}

// The bank on a free port whose number is also free on the attacker's address.
std::unique_ptr<endpoints::LabServer> startBank(const RealClientsOptions& options, std::string& error) {
  endpoints::ServerConfig bank;
  scenarios::setLabIdentity(bank, options.certsDir);
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto server = endpoints::LabServer::start(bank);
    if (!server) {
      error = "the real bank32.com cannot start: " + server.error();
      return nullptr;
    }
    auto probe = endpoints::MitmProxy::start(proxyConfig(options, (*server)->port()));
    if (probe) {
      (*probe)->stop();
      return std::move(server.value());
    }
    error = "the attacker's proxy cannot start on " + std::string(kProxyAddress) + ":" +
            std::to_string((*server)->port()) + ": " + probe.error();
  }
  return nullptr;
}

bool usableHosts(HostsMethod method) {
  return method == HostsMethod::MountNamespace || method == HostsMethod::UserNamespace || method == HostsMethod::SystemFile;
}

std::string resolutionName(HostsMethod method) {
  switch (method) {
    case HostsMethod::MountNamespace: return "a private /etc/hosts (mount namespace)";
    case HostsMethod::UserNamespace: return "a private /etc/hosts (user + mount namespace)";
    case HostsMethod::SystemFile: return "the system's /etc/hosts";
    case HostsMethod::NotNeeded:
    case HostsMethod::Unavailable:
    default: return hostsMethodName(method);
  }
}

bool isPng(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char signature[8] = {};
  in.read(signature, sizeof(signature));
  return in.gcount() == 8 && std::string_view(signature, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8);
}

// Runs a setup line the way the client's command runs: through /bin/sh, with a deadline.
std::string runSetup(const std::string& line, const fs::path& cwd) {
  ProgramSpec spec;
  spec.argv = {"/bin/sh", "-c", line};
  spec.cwd = cwd;
  spec.timeout = std::chrono::milliseconds(10000);
  ProgramResult result = runProgram(spec);
  if (result.exitedCleanly()) return {};
  return line + ": " + result.describe() + (result.err.empty() ? "" : ": " + bounded(result.err));
}

struct Context {
  const RealClientsOptions& options;
  LoginTarget target;
  HostsMethod hosts;
};

RealClientResult runOne(RealClient client, const Context& ctx) {
  RealClientResult r;
  r.client = client;
  for (const auto& needed : neededPrograms(client)) {
    const std::string program = ctx.target.program(needed.program);
    if (::access(program.c_str(), X_OK) != 0) {
      r.state = ClientState::NotInstalled;
      r.skipReason = "not installed: " + program + " is missing (apt-get install " + std::string(needed.package) + ")";
      return r;
    }
  }
  LoginTarget target = ctx.target;
  target.clientResolves = ctx.options.clientOwnResolution || !usableHosts(ctx.hosts);
  std::string whyNot;
  auto invocation = invocationFor(client, target, &whyNot);
  if (!invocation) {
    r.state = ClientState::NeedsHostsFile;
    r.skipReason = whyNot + (ctx.options.clientOwnResolution ? "" : "; add to /etc/hosts: " + hostsLines({{std::string(kHost), std::string(kProxyAddress)}}));
    return r;
  }
  r.commandLine = invocation->shown;
  r.setupCommands = invocation->setup;
  for (const auto& line : invocation->setup) {
    if (auto err = runSetup(line, target.workDir); !err.empty()) {
      r.skipReason = "its set-up failed: " + err;
      return r;
    }
  }
  auto proxy = endpoints::MitmProxy::start(proxyConfig(ctx.options, target.port));
  if (!proxy) {
    r.skipReason = "the attacker's proxy cannot start again: " + proxy.error();
    return r;
  }
  ctx.options.say(std::string("running ") + realClientName(client) + " …");
  ProgramSpec spec;
  spec.argv = {"/bin/sh", "-c", invocation->shown};  // the very line the student is shown
  spec.cwd = target.workDir;
  spec.outputLimit = invocation->outputLimit;
  spec.timeout = client == RealClient::Chromium ? ctx.options.browserTimeout : ctx.options.timeout;
  if (!target.clientResolves) spec.hosts = {{std::string(kHost), std::string(kProxyAddress)}};
  ProgramResult result = runProgram(spec);
  (*proxy)->stop();  // joins every connection: its log is complete
  const ProxyLog log = proxyLog((*proxy)->sessions());
  if (!result.started) {
    r.skipReason = "could not start: " + result.startError + (result.hostsProblem.empty() ? "" : " (" + result.hostsProblem + ")");
    return r;
  }
  r.state = ClientState::Ran;
  r.seconds = result.seconds;
  r.ended = result.describe();
  r.resolution = target.clientResolves ? invocation->resolution : resolutionName(result.hostsMethod);
  r.proxyConnections = log.connections;
  r.attackerGotRequest = log.received.find(" HTTP/1.") != std::string::npos;
  const std::string secret = "password=" + target.password;
  if (auto end = log.received.find(secret); end != std::string::npos) {
    r.passwordSent = true;
    auto start = log.received.rfind("user=", end);
    r.stolen = bounded(log.received.substr(start == std::string::npos ? end : start, end + secret.size() - (start == std::string::npos ? end : start)));
  }
  if (client == RealClient::Chromium) {
    BrowserPage page = readBrowserPage(result.out);
    r.errorCode = page.errorCode;
    r.words = !page.errorCode.empty() ? bounded("net::" + page.errorCode + (page.explanation.empty() ? "" : ": " + page.explanation))
                                      : (page.bankLine.empty() ? clientWords(client, result) : page.bankLine);
    r.screenshotWritten = !target.screenshot.empty() && isPng(target.screenshot);
  } else {
    r.words = clientWords(client, result);
  }
  r.refused = clientRefused(client, result, r.errorCode);
  return r;
}

}  // namespace

RealClientsRun runRealClients(const RealClientsOptions& options) {
  RealClientsRun run;
  run.strategy = options.strategy;
  run.proxyAddress = std::string(kProxyAddress);
  run.hostsLine = hostsLines({{std::string(kHost), std::string(kProxyAddress)}});
  if (auto problem = loginPasswordProblem(options.password); !problem.empty()) {
    run.setupError = "the password " + problem;
    return run;
  }
  if (auto problem = loginPasswordProblem(options.user); !problem.empty()) {
    run.setupError = "the user name " + problem;
    return run;
  }
  const fs::path rootCa = options.certsDir / "root-ca" / "cert.pem";
  if (!fs::is_regular_file(rootCa)) {
    run.setupError = "the lab root is missing: " + rootCa.string() + " (is --certs / TLSLAB_HOME right?)";
    return run;
  }
  if (rootCa.string().find_first_of("'\"\\\n") != std::string::npos) {
    run.setupError = "the certificates' folder " + options.certsDir.string() + " has a quote in its name (the commands would break)";
    return run;
  }
  fs::path screenshot;
  if (!options.screenshot.empty()) {
    screenshot = fs::absolute(options.screenshot);
    if (!fs::is_directory(screenshot.parent_path())) {
      run.setupError = "the screenshot's folder does not exist: " + screenshot.parent_path().string();
      return run;
    }
    std::error_code ec;
    fs::remove(screenshot, ec);  // a PNG from an earlier run must not count as this run's
  }
  WorkDir work;
  if (work.path().empty()) {
    run.setupError = "cannot make a temporary folder in " + fs::temp_directory_path().string();
    return run;
  }
  options.say("starting the real bank32.com and the attacker's proxy on " + std::string(kProxyAddress));
  auto bank = startBank(options, run.setupError);
  if (!bank) return run;
  run.setupError.clear();
  run.port = bank->port();
  run.hosts = options.clientOwnResolution ? HostsMethod::Unavailable : hostsMethodAvailable();

  Context ctx{options, {}, run.hosts};
  ctx.target.port = run.port;
  ctx.target.proxyAddress = std::string(kProxyAddress);
  ctx.target.rootCa = rootCa;
  ctx.target.user = options.user;
  ctx.target.password = options.password;
  ctx.target.workDir = work.path();
  ctx.target.screenshot = screenshot;
  ctx.target.programDir = options.programDir;
  for (RealClient client : options.clients.empty() ? allRealClients() : options.clients)
    run.clients.push_back(runOne(client, ctx));
  bank->stop();
  return run;
}

}  // namespace tlslab::course
