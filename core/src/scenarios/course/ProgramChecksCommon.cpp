// The client checks' common part, and the first of them: the student's client
// against the lab server must print the page (and its per-student token).
#include "ProgramChecksCommon.hpp"

#include <fmt/core.h>

#include "CheckHelpers.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::course {

using namespace endpoints;

namespace {
constexpr std::size_t kRequestBound = 4096;
}

bool ClientTrial::printedToken(const std::string& token) const {
  return !token.empty() && program.out.find(token) != std::string::npos;
}

std::string lastLines(const std::string& text, std::size_t lines, std::size_t width) {
  std::vector<std::string> all;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) all.push_back(line);
    start = end + 1;
  }
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    std::string line = all[i];
    if (line.size() > width) line = line.substr(0, width) + "…";
    for (char& c : line)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '.';  // no terminal control bytes from a program
    out += (out.empty() ? "" : " | ") + line;
  }
  return out;
}

namespace detail {

pki::Result<std::unique_ptr<LabServer>> startPageServer(const std::filesystem::path& certsDir,
                                                        const std::string& entryDir, const std::string& token) {
  ServerConfig config;
  config.address = kServerAddress;
  config.chainFile = certsDir / entryDir / "chain.pem";
  config.keyFile = certsDir / entryDir / "key.pem";
  config.siteName = kBankHost;
  config.securityLevel = 0;  // the gallery's weak entries too: the client judges them
  config.pageNote = "<p>Your page token: " + token + "</p>";
  config.httpCloseAfterResponse = true;  // the textbook's read loop ends only when the server closes
  config.ioTimeoutMs = 3000;
  return LabServer::start(config);
}

ProgramResult runClientProgram(const ClientCheckOptions& options, const std::string& host, const std::string& address,
                               std::uint16_t port) {
  ProgramSpec spec;
  spec.argv = {std::filesystem::absolute(options.program).string(), host, std::to_string(port)};
  spec.cwd = options.workspace;
  spec.hosts = {{host, address}};
  spec.timeout = options.timeout;
  spec.outputLimit = 64 * 1024;
  spec.unbufferedOutput = true;  // what a hanging client printed must not die with it
  return runProgram(spec);
}

void readServerSide(const std::vector<ServerConnection>& connections, ClientTrial& trial) {
  for (const auto& connection : connections) {
    ++trial.connections;
    trial.handshakeCompleted |= connection.handshakeOk;
    if (!connection.error.empty()) trial.serverError = connection.error;
    for (const auto& event : connection.events) {
      if (const auto* data = std::get_if<AppDataEvent>(&event)) {
        if (data->sent) {
          trial.pageSent = true;
        } else if (trial.request.size() < kRequestBound) {
          trial.request.append(data->bytes.begin(), data->bytes.begin() +
                                                        static_cast<long>(std::min(data->bytes.size(), kRequestBound - trial.request.size())));
        }
      }
    }
    if (trial.alertReceived.empty()) trial.alertReceived = alertIn(connection.events, false);
  }
}

ClientTrial tryLabServer(const ClientCheckOptions& options) {
  ClientTrial trial;
  trial.scenario = "lab server";
  trial.address = kServerAddress;
  auto server = startPageServer(options.certsDir, "bank32-rsa", options.pageToken);
  if (!server) {
    trial.setupError = "the lab server could not start: " + server.error();
    return trial;
  }
  trial.port = (*server)->port();
  options.say(fmt::format("running {} {} {} (bank32.com -> 127.0.0.1, the lab server)", options.program.string(),
                          kBankHost, trial.port));
  trial.program = runClientProgram(options, kBankHost, kServerAddress, trial.port);
  (*server)->stop();
  readServerSide((*server)->finishedConnections(), trial);
  return trial;
}

std::optional<CheckResult> unjudgeable(const ClientTrial& trial) {
  if (!trial.setupError.empty()) return skipped(trial.setupError + " (a problem of this machine, not of your program)");
  if (!trial.program.started && trial.program.hostsMethod == HostsMethod::Unavailable)
    return skipped("your program was not run: " + trial.program.describe());
  return std::nullopt;
}

std::string alertIn(const std::vector<Event>& events, bool sent) {
  for (const auto& event : events) {
    const auto* message = std::get_if<MessageEvent>(&event);
    // RFC 8446 §6: level (1 byte), description (1 byte).
    if (message && message->contentType == 21 && message->sent == sent && message->bytes.size() >= 2)
      return fmt::format("{} ({})", wire::alertDescriptionName(message->bytes[1]), message->bytes[1]);
  }
  return {};
}

std::string firstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line.size() > 120 ? line.substr(0, 120) + "…" : line;
}

std::string quotedOutput(const ProgramResult& program) {
  std::string err = lastLines(program.err), out = lastLines(program.out);
  std::string text;
  if (!err.empty()) text = "its stderr ended with «" + err + "»";
  if (!out.empty()) text += (text.empty() ? "its stdout ended with «" : "; its stdout with «") + out + "»";
  return text;
}

std::string trialSummary(const ClientTrial& trial) {
  std::string seen;
  if (trial.connections == 0) {
    seen = "no connection arrived";
  } else if (!trial.request.empty()) {
    seen = "it sent «" + firstLine(trial.request) + "»";
  } else if (trial.handshakeCompleted) {
    seen = "handshake completed, no request";
  } else {
    seen = "it aborted the handshake" + (trial.alertReceived.empty() ? "" : " with the alert «" + trial.alertReceived + "»");
  }
  return seen + "; the program " + trial.program.describe();
}

CheckResult judgePageTrial(const ClientTrial& trial, const std::string& token) {
  if (auto result = unjudgeable(trial)) return *result;
  const ProgramResult& program = trial.program;
  if (trial.printedToken(token) && program.timedOut)
    return fail("your client printed the page (token " + token + "), but it " + program.describe(),
                "the server closes the connection after its page: your read loop must stop when SSL_read returns 0 "
                "or less");
  if (trial.printedToken(token) && program.signal != 0)
    return fail("your client printed the page (token " + token + "), then " + program.describe(),
                "look at what it does after the last SSL_read (SSL_shutdown, SSL_free, close): run it under gdb "
                "(`gdb --args ./tls_client bank32.com PORT`, `run`, `bt`)");
  if (trial.printedToken(token))
    return pass("your client printed the lab server's page with your token " + token + " (it " + program.describe() + ")");
  if (!program.started)
    return fail("your program " + program.describe(), "build it first: `make` in the workspace (or `tlslab lab build`)");

  std::string seen;
  std::string hint;
  if (trial.connections == 0) {
    seen = "the server saw no connection from it";
    hint = "complete the TCP step (TODO 2): gethostbyname(hostname), socket(), connect() to the port given as argv[2]";
  } else if (!trial.handshakeCompleted) {
    seen = "it connected, but the handshake failed (the server says: " + trial.serverError +
           (trial.alertReceived.empty() ? "" : "; your client sent the alert «" + trial.alertReceived + "»") + ")";
    hint = "the lab server's chain leads to the lab root in ./cert: does your client load that folder "
           "(SSL_CTX_load_verify_locations(ctx, NULL, \"./cert\")) and run SSL_connect on the connected socket?";
  } else if (trial.request.empty()) {
    seen = "the handshake completed, but it sent no request";
    hint = "after SSL_connect, send the request with SSL_write (TODO 4)";
  } else if (trial.pageSent) {
    seen = "it sent «" + firstLine(trial.request) + "» and the server sent the page back, but your token " + token +
           " is not in what your program printed on stdout";
    hint = "print everything SSL_read returns on stdout, until it returns 0 or less";
  } else {
    seen = "it sent «" + firstLine(trial.request) + "», which the server did not answer (" +
           (trial.serverError.empty() ? "no complete request" : trial.serverError) + ")";
    hint = "a request ends with an empty line: \"GET / HTTP/1.1\\r\\nHost: bank32.com\\r\\n\\r\\n\"";
  }
  if (program.timedOut && trial.pageSent)
    hint = "the server sent the page and closed the connection: your read loop must stop when SSL_read returns 0 "
           "or less";
  if (program.signal != 0 && !program.timedOut)
    hint = "find where it crashes: `gdb --args ./tls_client bank32.com PORT`, then `run` and `bt`. Unchecked "
           "results (gethostbyname() returning NULL, SSL_new() failing) are the usual cause";
  std::string quoted = quotedOutput(program);
  return fail("your client " + program.describe() + "; " + seen + (quoted.empty() ? "" : "; " + quoted), hint);
}

}  // namespace detail

ClientCheck checkClientGetsPage(const ClientCheckOptions& options) {
  ClientCheck check;
  check.trials.push_back(detail::tryLabServer(options));
  check.result = detail::judgePageTrial(check.trials.back(), options.pageToken);
  check.result.evidence.push_back("lab server: " + detail::trialSummary(check.trials.back()));
  return check;
}

}  // namespace tlslab::course
