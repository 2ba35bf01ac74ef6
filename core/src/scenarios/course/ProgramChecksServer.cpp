// The student's server under test: started with a fresh per-student chain,
// then talked to by tlslab's own client, openssl s_client and gnutls-cli.
#include "ProgramChecksServer.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "CheckHelpers.hpp"
#include "ProgramChecksCommon.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/pki/Pem.hpp"
#include "tlslab/scenarios/course/StudentPki.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::course::detail {

namespace fs = std::filesystem;
using namespace endpoints;
using namespace std::chrono_literals;

TempDir::TempDir(const std::string& prefix) {
  std::error_code ec;
  std::string pattern = (fs::temp_directory_path(ec) / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

namespace {

bool bindable(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::uint16_t freeLoopbackPort() {
  // The student's server binds the port itself, after we let it go. Below the
  // kernel's ephemeral range (32768-60999 by default), no bind(0) or connect()
  // elsewhere is handed the same port in that moment.
  static thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> pick(20000, 29999);
  for (int attempt = 0; attempt < 64; ++attempt)
    if (auto port = static_cast<std::uint16_t>(pick(random)); bindable(port)) return port;
  return 0;
}

namespace {

const char* kRequestFormat = "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n";

bool writeFile(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

Bytes leafDerOf(const fs::path& chainFile) {
  auto certs = pki::readCertificates(chainFile);
  return certs && !certs->empty() ? pki::certificateDer(certs->front().get()) : Bytes{};
}

// The first line of an HTTP response inside `text` ("" when none).
std::string statusLineIn(const std::string& text) {
  for (std::size_t at = text.find("HTTP/1."); at != std::string::npos; at = text.find("HTTP/1.", at + 1))
    if (at == 0 || text[at - 1] == '\n') return firstLine(text.substr(at));
  return {};
}

bool isOkStatus(const std::string& line) { return line.size() >= 12 && line.compare(8, 4, " 200") == 0; }

std::vector<std::string> handshakeFlow(const std::vector<Event>& events) {
  std::vector<std::string> flow;
  for (const auto& event : events) {
    const auto* message = std::get_if<MessageEvent>(&event);
    if (!message || message->bytes.empty()) continue;
    std::string arrow = message->sent ? "-> " : "<- ";
    if (message->contentType == 22) flow.push_back(arrow + wire::handshakeTypeName(message->bytes[0]));
    if (message->contentType == 21 && message->bytes.size() >= 2)
      flow.push_back(arrow + "alert " + wire::alertDescriptionName(message->bytes[1]));
  }
  return flow;
}

}  // namespace

RunningServer startStudentServer(const ServerCheckOptions& options, const fs::path& clientCa, ServerCheck& check) {
  RunningServer server;
  auto failWith = [&](std::string detail, std::string hint) {
    server.failure = detail;
    check.result = fail(std::move(detail), std::move(hint));
    return std::move(server);
  };
  server.dir = std::make_unique<TempDir>("tlslab-server-check");
  if (!*server.dir) return failWith("cannot make a temporary folder for the server's files", "check the free space in /tmp");
  auto issued = issueStudentServer(options.certsDir, options.host);
  if (!issued) return failWith("cannot issue the certificate for " + options.host + ": " + issued.error(), "");
  check.chainFile = (server.dir->path() / "chain.pem").string();
  check.keyFile = (server.dir->path() / "key.pem").string();
  if (!writeFile(check.chainFile, issued->chainPem) || !writeFile(check.keyFile, issued->keyPem))
    return failWith("cannot write the server's chain and key into " + server.dir->path().string(), "");
  server.leafDer = leafDerOf(check.chainFile);
  server.port = freeLoopbackPort();

  ProgramSpec spec;
  spec.argv = {fs::absolute(options.program).string(), std::to_string(server.port), check.chainFile, check.keyFile};
  if (!clientCa.empty()) {
    check.clientCaFile = clientCa.string();
    spec.argv.push_back(check.clientCaFile);
  }
  spec.cwd = options.workspace;
  spec.timeout = options.timeout;
  spec.outputLimit = 64 * 1024;
  spec.unbufferedOutput = true;  // it is killed at the end: keep what it printed
  options.say(fmt::format("starting your server: {} {} CHAIN KEY{} (a fresh certificate for {})", options.program.string(),
                          server.port, clientCa.empty() ? "" : " CLIENT_CA", options.host));
  auto started = BackgroundProgram::start(spec);
  if (!started) return failWith("your server could not start: " + started.error(), "build it first: `make` in the workspace");
  server.program = std::move(started.value());
  if (server.program->waitForListener(kServerAddress, server.port, 5s)) return server;

  bool exited = !server.program->running();
  check.server = server.program->stop();
  std::string quoted = quotedOutput(check.server);
  std::string said = quoted.empty() ? "" : "; " + quoted;
  if (exited)
    return failWith("before it listened on 127.0.0.1:" + std::to_string(server.port) + ", your server " +
                        check.server.describe() + said,
                    "try it by hand: ./tls_server 4433 server/chain.pem server/key.pem — it must load the CHAIN and "
                    "KEY files named by its arguments, then listen");
  return failWith("nothing listened on 127.0.0.1:" + std::to_string(server.port) + " within 5 s, although your server "
                      "kept running" + said,
                  "listen on the port given as its first argument (argv[1]), on 127.0.0.1 (or every address)");
}

ServerProbe probeWithLabClient(const ServerCheckOptions& options, const RunningServer& server,
                               const std::string& identityName, const fs::path& clientChain, const fs::path& clientKey,
                               bool expectPage) {
  ServerProbe probe;
  probe.client = "tlslab LabClient";
  probe.identity = identityName;
  probe.expectPage = expectPage;
  ClientConfig config;
  config.host = options.host;
  config.port = server.port;
  config.resolver.set(options.host, kServerAddress);
  config.verifyMode = VerifyMode::ChainAndHost;
  config.trustFiles = {options.certsDir / "root-ca" / "cert.pem"};
  config.clientCert = clientChain;
  config.clientKey = clientKey;
  config.ioTimeoutMs = static_cast<int>(options.clientTimeout.count());
  config.script = {ScriptStep::send(fmt::format(fmt::runtime(kRequestFormat), options.host)), ScriptStep::expect("HTTP/1.")};
  options.say("tlslab LabClient" + (identityName.empty() ? std::string() : " (" + identityName + ")") +
              " connects to https://" + options.host + ":" + std::to_string(server.port) + "/");
  ClientRun run = runClient(config);
  probe.handshakeOk = run.handshakeOk;
  probe.flow = handshakeFlow(run.events);
  for (const auto& step : probe.flow) probe.certificateRequested |= step == "<- certificate_request";
  probe.statusLine = statusLineIn(run.received);
  probe.gotPage = isOkStatus(probe.statusLine);
  for (const auto& step : run.verify.steps)
    if (step.depth == 0) probe.presentedChain = {step.subject};
  probe.presentedChain = run.negotiated.peerChainSubjects.empty() ? probe.presentedChain : run.negotiated.peerChainSubjects;
  probe.presentedOurLeaf = !run.negotiated.peerChainDer.empty() && run.negotiated.peerChainDer.front() == server.leafDer;
  if (!run.verify.ok && run.verify.errorDepth >= 0)
    probe.detail = fmt::format("{} at depth {} ({})", run.verify.errorName, run.verify.errorDepth, run.verify.errorText);
  std::string alert = alertIn(run.events, false);
  if (!alert.empty()) probe.detail += (probe.detail.empty() ? "" : "; ") + std::string("the server sent the alert «") + alert + "»";
  if (probe.detail.empty() && !run.error.empty()) probe.detail = run.error;
  if (!probe.gotPage && !probe.statusLine.empty()) probe.detail += "; it answered «" + probe.statusLine + "»";
  return probe;
}

namespace {

ServerProbe toolProbe(const std::string& name, std::vector<std::string> argv, const ServerCheckOptions& options,
                      bool keepStdinOpen) {
  ServerProbe probe;
  probe.client = name;
  ProgramSpec spec;
  spec.argv = std::move(argv);
  spec.stdinText = fmt::format(fmt::runtime(kRequestFormat), options.host);
  spec.keepStdinOpen = keepStdinOpen;
  spec.timeout = options.clientTimeout;
  spec.outputLimit = 64 * 1024;
  options.say(name + " connects to https://" + options.host + ":" + spec.argv.back());
  ProgramResult result = runProgram(spec);
  if (!result.started) {
    probe.notRun = true;
    probe.detail = "not run: " + result.startError;
    return probe;
  }
  probe.statusLine = statusLineIn(result.out);
  probe.gotPage = isOkStatus(probe.statusLine);
  probe.handshakeOk = probe.gotPage || result.out.find("Verify return code: 0 (ok)") != std::string::npos ||
                      result.out.find("- Handshake was completed") != std::string::npos;
  if (!probe.gotPage) {
    std::string said;
    for (const std::string& text : {result.err, result.out}) {
      std::size_t start = 0;
      while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        // The lines where each tool says what failed.
        if (line.find("verify error") != std::string::npos || line.find("error:") != std::string::npos ||
            line.find("- Status:") != std::string::npos || line.rfind("***", 0) == 0)
          said += (said.empty() ? "" : " | ") + lastLines(line, 1);
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    probe.detail = "it " + result.describe() + (said.empty() ? "" : ": «" + said + "»");
  }
  return probe;
}

}  // namespace

ServerProbe probeWithOpensslClient(const ServerCheckOptions& options, const RunningServer& server) {
  std::string root = (options.certsDir / "root-ca" / "cert.pem").string();
  return toolProbe("openssl s_client",
                   {"openssl", "s_client", "-servername", options.host, "-verify_hostname", options.host,
                    "-verify_return_error", "-CAfile", root, "-ign_eof", "-nocommands", "-connect",
                    fmt::format("127.0.0.1:{}", server.port)},
                   options, false);
}

ServerProbe probeWithGnutlsClient(const ServerCheckOptions& options, const RunningServer& server) {
  std::string root = (options.certsDir / "root-ca" / "cert.pem").string();
  // gnutls-cli stops reading the connection at stdin's EOF, so stdin stays open as a terminal would.
  return toolProbe("gnutls-cli",
                   {"gnutls-cli", "--x509cafile=" + root, "--verify-hostname=" + options.host,
                    "--sni-hostname=" + options.host, "-p", std::to_string(server.port), "127.0.0.1"},
                   options, true);
}

void stopStudentServer(RunningServer& server, ServerCheck& check) {
  if (server.program) check.server = server.program->stop();
}

std::string probeLine(const ServerProbe& probe) {
  std::string who = probe.client + (probe.identity.empty() ? "" : " with " + probe.identity);
  if (probe.gotPage) return who + ": got the page («" + probe.statusLine + "»)" + (probe.expectPage ? "" : " — it must be refused");
  if (probe.notRun) return who + ": " + probe.detail;
  return who + (probe.expectPage ? ": no page — " : ": refused, as it must be — ") +
         (probe.detail.empty() ? std::string("no HTTP response") : probe.detail);
}

}  // namespace tlslab::course::detail

namespace tlslab::course {
bool ServerProbe::ok() const { return notRun || (expectPage ? gotPage : !gotPage); }
}  // namespace tlslab::course
