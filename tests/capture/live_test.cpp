// Live capture on the loopback interface with a real TCP exchange on 127.0.0.1.
// Capturing needs root or CAP_NET_RAW; without them these tests check the
// error path instead.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "CaptureTestUtil.hpp"

namespace tlslab::test {
namespace {

using capture::LiveCapture;
using capture::LiveOptions;
using namespace std::chrono_literals;

bool canCapture() {
  auto probe = LiveCapture::open(LiveOptions{"lo", "", 65535, false, 100, 0, 0});
  return probe.ok();
}

#define REQUIRE_CAPTURE_PERMISSION() \
  if (!canCapture()) GTEST_SKIP() << "capturing on lo needs root or CAP_NET_RAW"

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// A listening socket on 127.0.0.1 with a kernel-chosen free port.
std::uint16_t listenOnFreePort(Fd& listener) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::listen(listener.fd, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

void exchange(std::uint16_t port, Fd& listener, const std::string& request, const std::string& response) {
  Fd client(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  ASSERT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  Fd server(::accept(listener.fd, nullptr, nullptr));
  ASSERT_GE(server.fd, 0);
  ASSERT_EQ(::send(client.fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string got(request.size(), '\0');
  ASSERT_EQ(::recv(server.fd, got.data(), got.size(), MSG_WAITALL), static_cast<ssize_t>(got.size()));
  ASSERT_EQ(::send(server.fd, response.data(), response.size(), 0), static_cast<ssize_t>(response.size()));
  std::string back(response.size(), '\0');
  ASSERT_EQ(::recv(client.fd, back.data(), back.size(), MSG_WAITALL), static_cast<ssize_t>(back.size()));
  ::shutdown(client.fd, SHUT_WR);
  char byte = 0;
  ASSERT_EQ(::recv(server.fd, &byte, 1, 0), 0);  // the client's FIN arrived
}

TEST(LiveCapture, RecordsALoopbackTlsLikeExchangeFilteredByPort) {
  REQUIRE_CAPTURE_PERMISSION();
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  std::uint16_t port = listenOnFreePort(listener);
  auto live = LiveCapture::open(LiveOptions{"lo", "tcp port " + std::to_string(port), 262144, false, 50, 0, 10});
  ASSERT_TRUE(live.ok()) << live.error().message();
  RecordingSink sink;
  capture::CaptureProcessor processor(sink);
  capture::LiveStats stats;
  std::thread worker([&] {
    auto result = live.value()->run([&](const capture::RawPacket& p) { processor.processPacket(p); });
    ASSERT_TRUE(result.ok()) << result.error().message();
    stats = result.value();
  });
  Bytes hello = tlsRecord(22, 64);
  exchange(port, listener, text(hello), "server says hi");
  std::this_thread::sleep_for(300ms);  // let the last packets reach the capture
  live.value()->stop();
  worker.join();
  processor.finish();
  EXPECT_EQ(stats.stoppedBecause, "stop requested");
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.opened[0].server.port, port);
  EXPECT_TRUE(sink.opened[0].sawSyn);
  EXPECT_EQ(sink.stream(0, C2S), text(hello));
  EXPECT_EQ(sink.stream(0, S2C), "server says hi");
  ASSERT_NE(sink.tlsStart(0, C2S), nullptr);
  EXPECT_TRUE(sink.gaps.empty());
}

// Reads one line (up to LF) from a socket.
std::string readLine(int fd) {
  std::string line;
  char c = 0;
  while (line.size() < 1024 && ::recv(fd, &c, 1, 0) == 1) {
    line += c;
    if (c == '\n') break;
  }
  return line;
}

// A real `openssl s_client -starttls PROTOCOL` against a scripted plaintext
// server on 127.0.0.1; the server reads the ClientHello and hangs up.
struct StarttlsRun {
  RecordingSink sink;
  std::string clientPlain;
  std::string serverPlain;
  std::string clientHelloStart;
};

void runStarttls(const std::string& protocol, const std::vector<std::string>& serverLines,
                 const std::vector<int>& readsBeforeEachLine, StarttlsRun& run) {
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  std::uint16_t port = listenOnFreePort(listener);
  auto live = LiveCapture::open(LiveOptions{"lo", "tcp port " + std::to_string(port), 262144, false, 50, 0, 20});
  ASSERT_TRUE(live.ok()) << live.error().message();
  capture::CaptureProcessor processor(run.sink);
  std::thread worker([&] {
    auto result = live.value()->run([&](const capture::RawPacket& p) { processor.processPacket(p); });
    EXPECT_TRUE(result.ok());
  });
  std::thread client([&] {
    std::string command = "timeout 15 openssl s_client -starttls " + protocol + " -connect 127.0.0.1:" +
                          std::to_string(port) + " </dev/null >/dev/null 2>&1";
    [[maybe_unused]] int rc = std::system(command.c_str());
  });
  {
    Fd server(::accept(listener.fd, nullptr, nullptr));
    ASSERT_GE(server.fd, 0);
    for (std::size_t i = 0; i < serverLines.size(); ++i) {
      for (int r = 0; r < readsBeforeEachLine[i]; ++r) run.clientPlain += readLine(server.fd);
      ASSERT_EQ(::send(server.fd, serverLines[i].data(), serverLines[i].size(), 0),
                static_cast<ssize_t>(serverLines[i].size()));
      run.serverPlain += serverLines[i];
    }
    char hello[5] = {};
    ASSERT_EQ(::recv(server.fd, hello, sizeof hello, MSG_WAITALL), 5);
    run.clientHelloStart.assign(hello, 5);
  }  // hang up: s_client's handshake fails and it exits
  client.join();
  std::this_thread::sleep_for(300ms);
  live.value()->stop();
  worker.join();
  processor.finish();
}

TEST(LiveCapture, RealOpensslSmtpStarttlsIsDetectedWhereTheUpgradeHappens) {
  REQUIRE_CAPTURE_PERMISSION();
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl command";
  StarttlsRun run;
  runStarttls("smtp", {"220 lab.example ESMTP tlslab\r\n", "250-lab.example\r\n250 STARTTLS\r\n", "220 Go ahead\r\n"},
              {0, 1, 1}, run);
  ASSERT_EQ(static_cast<std::uint8_t>(run.clientHelloStart[0]), 0x16);
  ASSERT_EQ(run.sink.opened.size(), 1u);
  EXPECT_EQ(run.sink.closed.at(0).protocol, "SMTP");
  EXPECT_EQ(run.sink.streamOf(0, C2S, Content::Plaintext), run.clientPlain);
  EXPECT_EQ(run.sink.streamOf(0, S2C, Content::Plaintext), run.serverPlain);
  const auto* start = run.sink.tlsStart(0, C2S);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->offset, run.clientPlain.size());
  std::string tls = run.sink.streamOf(0, C2S, Content::Tls);
  ASSERT_GE(tls.size(), 5u);
  EXPECT_EQ(tls.substr(0, 5), run.clientHelloStart);  // the real ClientHello record header
  ASSERT_NE(run.sink.tlsStart(0, S2C), nullptr);
  EXPECT_EQ(run.sink.tlsStart(0, S2C)->offset, run.serverPlain.size());
}

TEST(LiveCapture, RealOpensslPop3StlsIsDetectedWhereTheUpgradeHappens) {
  REQUIRE_CAPTURE_PERMISSION();
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl command";
  StarttlsRun run;
  runStarttls("pop3", {"+OK tlslab POP3 ready\r\n", "+OK Begin TLS negotiation\r\n"}, {0, 1}, run);
  ASSERT_EQ(static_cast<std::uint8_t>(run.clientHelloStart[0]), 0x16);
  EXPECT_EQ(run.clientPlain, "STLS\r\n");
  EXPECT_EQ(run.sink.closed.at(0).protocol, "POP3");
  EXPECT_EQ(run.sink.streamOf(0, C2S, Content::Plaintext), "STLS\r\n");
  ASSERT_NE(run.sink.tlsStart(0, C2S), nullptr);
  EXPECT_EQ(run.sink.tlsStart(0, C2S)->offset, 6u);
  EXPECT_EQ(run.sink.streamOf(0, C2S, Content::Tls).substr(0, 5), run.clientHelloStart);
}

TEST(LiveCapture, StopsAfterThePacketLimit) {
  REQUIRE_CAPTURE_PERMISSION();
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  std::uint16_t port = listenOnFreePort(listener);
  auto live = LiveCapture::open(LiveOptions{"lo", "tcp port " + std::to_string(port), 262144, false, 50, 3, 10});
  ASSERT_TRUE(live.ok()) << live.error().message();
  std::uint64_t seen = 0;
  capture::LiveStats stats;
  std::thread worker([&] {
    auto result = live.value()->run([&](const capture::RawPacket&) { ++seen; });
    ASSERT_TRUE(result.ok());
    stats = result.value();
  });
  exchange(port, listener, "ping", "pong");
  worker.join();
  EXPECT_EQ(seen, 3u);
  EXPECT_EQ(stats.packets, 3u);
  EXPECT_EQ(stats.stoppedBecause, "packet limit");
}

TEST(LiveCapture, StopsAtTheTimeLimitWithoutTraffic) {
  REQUIRE_CAPTURE_PERMISSION();
  auto live = LiveCapture::open(LiveOptions{"lo", "tcp port 9", 65535, false, 50, 0, 0.3});
  ASSERT_TRUE(live.ok());
  auto started = std::chrono::steady_clock::now();
  auto result = live.value()->run([](const capture::RawPacket&) {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().stoppedBecause, "time limit");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(LiveCapture, BadFilterIsNamedInTheError) {
  REQUIRE_CAPTURE_PERMISSION();
  auto live = LiveCapture::open(LiveOptions{"lo", "tcp port", 65535, false, 50, 0, 0});
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message().find("bad capture filter 'tcp port'"), std::string::npos)
      << live.error().message();
}

TEST(LiveCapture, UnknownInterfaceIsNamedInTheError) {
  REQUIRE_CAPTURE_PERMISSION();
  auto live = LiveCapture::open(LiveOptions{"nosuchif0", "", 65535, false, 50, 0, 0});
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message().find("nosuchif0"), std::string::npos) << live.error().message();
}

TEST(LiveCapture, WithoutPermissionTheErrorSaysRootOrCapNetRawIsNeeded) {
  // As root: drop to 'nobody' in a child process and try there.
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipeFds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(3);
    auto live = LiveCapture::open(LiveOptions{"lo", "", 65535, false, 50, 0, 0});
    std::string message = live.ok() ? "opened" : live.error().message();
    [[maybe_unused]] auto n = ::write(pipeFds[1], message.data(), message.size());
    _exit(0);
  }
  ::close(pipeFds[1]);
  std::string message;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0) message.append(buffer, static_cast<std::size_t>(n));
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_NE(WEXITSTATUS(status), 3) << "could not drop privileges";
  if (message == "opened") GTEST_SKIP() << "this user may capture (CAP_NET_RAW granted)";
  EXPECT_NE(message.find("root or the CAP_NET_RAW capability"), std::string::npos) << message;
  EXPECT_NE(message.find("'lo'"), std::string::npos) << message;
}

TEST(LiveCapture, DeviceListIncludesLoopback) {
  auto devices = capture::listDevices();
  ASSERT_TRUE(devices.ok()) << devices.error().message();
  bool found = false;
  for (const auto& d : devices.value())
    if (d.name == "lo") found = d.loopback;
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace tlslab::test
