// The QUIC lab: ngtcp2's gtlsserver and gtlsclient on loopback, captured by
// tlslab's own libpcap live capture (QuicLab.hpp).
#include "tlslab/scenarios/QuicLab.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "LoopbackCapture.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Quic.hpp"

namespace tlslab::scenarios {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::size_t kKeyLogLimit = 64 * 1024;  // a handful of lines; more is not a key log of this run

struct Tool {
  const char* name;
  const char* package;
};
constexpr Tool kServer{"gtlsserver", "ngtcp2-server"};
constexpr Tool kClient{"gtlsclient", "ngtcp2-client"};

// PATH first; Debian installs gtlsserver in /usr/sbin, which a student's PATH may lack.
std::string findTool(const char* name) {
  const char* env = std::getenv("PATH");
  std::string path = std::string(env ? env : "/usr/local/bin:/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin";
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t end = path.find(':', at);
    if (end == std::string::npos) end = path.size();
    const fs::path candidate = fs::path(end > at ? path.substr(at, end - at) : ".") / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    at = end + 1;
  }
  return {};
}

// A UDP port on 127.0.0.1 that was free a moment ago.
std::uint16_t freeUdpPort() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// Whether a socket is bound to 127.0.0.1:port, read from /proc/net/udp (a
// probe datagram would be the server's first packet and spoil the capture).
bool udpBound(std::uint16_t port) {
  std::ifstream in("/proc/net/udp");
  const std::string wanted = fmt::format("0100007F:{:04X}", port);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local;
    if (fields >> slot >> local && local == wanted) return true;
  }
  return false;
}

std::string commandLine(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& a : argv) text += (text.empty() ? "" : " ") + a;
  return text;
}

std::string joinedOutput(const course::ProgramResult& r) {
  std::string text = r.err;
  if (!r.out.empty()) text += (text.empty() || text.back() == '\n' ? "" : "\n") + r.out;
  return text;
}

// A folder of this run's own for the page and the key log, removed at the end.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() / fmt::format("tlslab-quic-{}-{}", ::getpid(), counter++);
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::create_directories(path / "htdocs", ec);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string readBounded(const fs::path& file, std::size_t limit) {
  std::ifstream in(file, std::ios::binary);
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

std::string quicLabPrerequisites() {
  std::string missing;
  for (const Tool& tool : {kServer, kClient})
    if (findTool(tool.name).empty())
      missing += fmt::format("{}{} is not installed (Debian package {}: apt install {})", missing.empty() ? "" : "; ",
                             tool.name, tool.package, tool.package);
  return missing;
}

const model::TraceConnection* QuicLabRun::connection() const {
  for (const auto& c : trace.connections)
    if (c.quic) return &c;
  return nullptr;
}

QuicLabRun runQuicLab(const QuicLabOptions& options) {
  QuicLabRun run;
  if (auto missing = quicLabPrerequisites(); !missing.empty()) {
    run.setupError = missing;
    return run;
  }
  const fs::path key = options.certsDir / "bank32-ecdsa" / "key.pem", chain = options.certsDir / "bank32-ecdsa" / "chain.pem";
  if (!fs::is_regular_file(key) || !fs::is_regular_file(chain)) {
    run.setupError = "the lab server's certificate is missing: " + chain.string() + " and " + key.string();
    return run;
  }
  run.port = freeUdpPort();
  if (run.port == 0) {
    run.setupError = "no free UDP port on 127.0.0.1";
    return run;
  }
  run.captureFilter = "udp port " + std::to_string(run.port);
  // The capture first: it says at once when this user may not capture, and it
  // must be running before the client's first Initial.
  std::string captureError;
  auto capture = LoopbackCapture::open(run.captureFilter, captureError);
  if (!capture) {
    run.setupError = "the QUIC lab captures lo with libpcap: " + captureError;
    return run;
  }

  ScratchDir scratch;
  {
    std::ofstream page(scratch.path / "htdocs" / "index.html", std::ios::binary);
    page << options.page;
    if (!page) {
      run.setupError = "cannot write the page into " + scratch.path.string();
      return run;
    }
  }
  const std::string port = std::to_string(run.port);
  course::ProgramSpec server;
  server.argv = {findTool(kServer.name), "-q", "-d", (scratch.path / "htdocs").string()};
  if (options.retry) server.argv.push_back("--validate-addr");
  for (const std::string& a : {std::string("127.0.0.1"), port, key.string(), chain.string()}) server.argv.push_back(a);
  server.timeout = options.serverTimeout;
  server.outputLimit = 64 * 1024;
  run.serverCommand = commandLine(server.argv);
  auto started = course::BackgroundProgram::start(server);
  if (!started) {
    run.setupError = "gtlsserver did not start: " + started.error();
    return run;
  }
  auto& serverProcess = started.value();
  const auto bindDeadline = std::chrono::steady_clock::now() + 3s;
  while (!udpBound(run.port) && serverProcess->running() && std::chrono::steady_clock::now() < bindDeadline)
    std::this_thread::sleep_for(10ms);
  if (!udpBound(run.port)) {
    const course::ProgramResult r = serverProcess->stop();
    run.serverOutput = joinedOutput(r);
    run.setupError = fmt::format("gtlsserver did not bind 127.0.0.1:{} within 3 s: it {}", run.port, r.describe());
    return run;
  }

  run.url = fmt::format("https://{}:{}/index.html", options.serverName, run.port);
  const fs::path keyLog = scratch.path / "keys.log";
  course::ProgramSpec client;
  // The client sends its HOST argument as SNI ("localhost" for an address;
  // this version ignores --sni), so the name is resolved to 127.0.0.1 through
  // a private hosts file (course::runProgram). -q keeps ngtcp2's packet trace out.
  client.argv = {findTool(kClient.name), "-q", "--exit-on-all-streams-close", options.serverName, port, run.url};
  client.hosts = {{options.serverName, "127.0.0.1"}};
  client.env = {"SSLKEYLOGFILE=" + keyLog.string()};
  client.timeout = options.clientTimeout;
  client.outputLimit = 64 * 1024;
  run.clientCommand = "SSLKEYLOGFILE=keys.log " + commandLine(client.argv);
  const course::ProgramResult clientResult = course::runProgram(client);
  run.clientOk = clientResult.exitedCleanly();
  run.hostsNote = fmt::format("{} resolved to 127.0.0.1 through a private /etc/hosts ({})", options.serverName,
                              course::hostsMethodName(clientResult.hostsMethod));
  run.clientResult = clientResult.describe();
  run.clientOutput = joinedOutput(clientResult);

  capture->stop();  // after the client's last packet passed the tap
  run.serverOutput = joinedOutput(serverProcess->stop());
  run.keyLog = readBounded(keyLog, kKeyLogLimit);
  run.frames = capture->frames();
  run.pcapng = capture->pcapng();
  run.pcapngWithKeys = capture->pcapng(run.keyLog);

  keys::KeyStore none;
  if (auto t = dissect::dissectBytes(asBytes(run.pcapng), none)) run.keyless = std::move(t.value());
  keys::KeyStore withKeys;
  (void)withKeys.addKeyLogText(run.keyLog, "gtlsclient's key log");
  auto traced = dissect::dissectBytes(asBytes(run.pcapng), withKeys);
  if (!traced) {
    run.setupError = "the capture could not be read back: " + traced.error().message();
    return run;
  }
  run.trace = std::move(traced.value());
  return run;
}

const QuicSpaceCount* QuicObserved::space(std::string_view name) const {
  for (const auto& s : spaces)
    if (s.space == name) return &s;
  return nullptr;
}

QuicObserved observeQuic(const model::TraceConnection& connection) {
  QuicObserved seen;
  if (!connection.quic) return seen;
  const model::QuicInfo& q = *connection.quic;
  seen.dcid = q.originalDcid;
  // RFC 9000 §17.2.5.2: after a Retry the client sends its Initials to the
  // Retry's Source Connection ID, and derives their keys from it (RFC 9001 §5.2).
  for (const auto& p : q.packets)
    if (p.type == "Retry" && seen.retryDcid.empty()) seen.retryDcid = p.scid;
  for (const char* name : {"Initial", "Handshake", "0-RTT", "1-RTT", "Retry", "Version Negotiation"}) {
    QuicSpaceCount count{name};
    for (const auto& p : q.packets) {
      if (p.type != name) continue;
      (p.direction == model::Direction::ClientToServer ? count.clientPackets : count.serverPackets) += 1;
      count.opened += p.decrypted ? 1 : 0;
    }
    if (count.packets() > 0) seen.spaces.push_back(count);
  }
  for (const auto& m : connection.messages) {
    if (m.name != "ClientHello") continue;
    // Parsed again for its summary: the trace keeps the field tree only.
    const wire::HandshakeMessage hello = wire::parseHandshakeMessage(m.bytes);
    if (const auto* ch = hello.as<wire::ClientHello>()) {
      seen.clientHello = true;
      seen.sni = ch->summary.serverName;
      seen.alpn = ch->summary.alpn;
    }
    break;
  }
  return seen;
}

std::string serverStreamBytes(const model::TraceConnection& connection) {
  std::string text;
  if (!connection.quic) return text;
  for (const auto& s : connection.quic->streams)
    if (s.direction == model::Direction::ServerToClient) text.append(s.data.begin(), s.data.end());
  return text;
}

std::string http3ResponseBody(const model::TraceConnection& connection) {
  std::string body;
  if (!connection.quic) return body;
  for (const auto& s : connection.quic->streams) {
    if (s.direction != model::Direction::ServerToClient || s.id % 4 != 0) continue;
    ByteReader r(s.data);
    while (r.ok() && !r.empty()) {
      const std::uint64_t type = wire::quic::readVarint(r, "HTTP/3 frame type");
      const std::uint64_t length = wire::quic::readVarint(r, "HTTP/3 frame length");
      if (r.failed() || length > r.remaining()) break;
      const ByteView payload = r.bytes(static_cast<std::size_t>(length), "HTTP/3 frame payload");
      if (type == 0x00) body.append(payload.begin(), payload.end());  // DATA
    }
  }
  return body;
}

std::string saveQuicRun(const QuicLabRun& run, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot make " + dir.string() + ": " + ec.message();
  const std::pair<const char*, const std::string*> files[] = {{kQuicCaptureFile, &run.pcapng},
                                                              {kQuicKeyLogFile, &run.keyLog}};
  for (auto [name, text] : files) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out << *text;
    if (!out) return "cannot write " + (dir / name).string();
  }
  return {};
}

}  // namespace tlslab::scenarios
