// A peer that says nothing: each side's handshake gives up after its read
// timeout and says so, instead of reporting that the peer closed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab::endpoints;

namespace {

// A loopback TCP socket: listening (port 0, the kernel picks) or connected.
struct RawSocket {
  int fd = -1;
  ~RawSocket() {
    if (fd >= 0) ::close(fd);
  }
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

TEST(HandshakeTimeouts, ASilentServerIsReportedAsATimeoutNotAsAClose) {
  RawSocket listener{::socket(AF_INET, SOCK_STREAM, 0)};
  ASSERT_GE(listener.fd, 0);
  sockaddr_in addr = loopback(0);
  ASSERT_EQ(::bind(listener.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener.fd, 1), 0);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  // The kernel completes the TCP handshake from the backlog; nobody ever answers.
  ClientConfig config;
  config.host = "bank32.com";
  config.port = ntohs(addr.sin_port);
  config.trustFiles = {tlslab::test::labCerts() / "root-ca" / "cert.pem"};
  config.ioTimeoutMs = 300;
  ClientRun run = runClient(config);
  EXPECT_NE(run.error.find("timed out after 0.3 s waiting for the server's next handshake message"), std::string::npos)
      << run.error;
}

TEST(HandshakeTimeouts, ASilentClientIsReportedAsATimeoutInTheServersLog) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa", Service::HttpsHello);
  config.ioTimeoutMs = 300;
  auto server = LabServer::start(config);
  ASSERT_TRUE(server) << server.error();
  RawSocket client{::socket(AF_INET, SOCK_STREAM, 0)};
  sockaddr_in addr = loopback(server.value()->port());
  ASSERT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::vector<ServerConnection> done;
  for (int i = 0; i < 100 && done.empty(); ++i) {  // at most 5 s
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    done = server.value()->finishedConnections();
  }
  server.value()->stop();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_NE(done[0].error.find("timed out after 0.3 s waiting for the client's next handshake message"),
            std::string::npos)
      << done[0].error;
}

// A "server" that answers the ClientHello with endless HelloRequests, which
// libssl ignores during a handshake and keeps reading: the client stops at
// its budget with a clear error and a bounded log.
TEST(HandshakeBudget, EndlessHelloRequestsStopTheClientWithABoundedLog) {
  RawSocket listener{::socket(AF_INET, SOCK_STREAM, 0)};
  sockaddr_in addr = loopback(0);
  ASSERT_EQ(::bind(listener.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener.fd, 1), 0);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  std::atomic<long> sent{0};
  std::thread hostile([&] {
    RawSocket peer{::accept(listener.fd, nullptr, nullptr)};
    if (peer.fd < 0) return;
    char hello[4096];
    (void)::recv(peer.fd, hello, sizeof hello, 0);  // the ClientHello, unread
    // One HelloRequest (type 0, length 0) per record, 1 000 records a write; bounded at 50 000.
    std::string burst;
    for (int i = 0; i < 1000; ++i) burst += std::string("\x16\x03\x03\x00\x04\x00\x00\x00\x00", 9);
    for (int i = 0; i < 50; ++i) {
      if (::send(peer.fd, burst.data(), burst.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(burst.size())) break;
      sent += 1000;
    }
  });
  ClientConfig config;
  config.host = "bank32.com";
  config.port = ntohs(addr.sin_port);
  config.trustFiles = {tlslab::test::labCerts() / "root-ca" / "cert.pem"};
  config.ioTimeoutMs = 2000;
  ClientRun run = runClient(config);
  hostile.join();
  EXPECT_NE(run.error.find("stopped: the server sent more than 1024 handshake messages"), std::string::npos)
      << run.error << " (" << sent.load() << " HelloRequests sent)";
  // A few events per message read (record header, message, wire bytes, state), then none.
  EXPECT_LT(run.events.size(), 10u * 1024u) << run.events.size();
  EXPECT_GT(sent.load(), 2000);
}

// A client that trickles its ClientHello one byte at a time, each byte well
// inside the per-read timeout: the handshake deadline still ends it.
TEST(HandshakeTimeouts, ATricklingClientIsCutOffAtTheHandshakeDeadline) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa", Service::HttpsHello);
  config.ioTimeoutMs = 1000;
  config.handshakeTimeoutMs = 600;
  auto server = LabServer::start(config);
  ASSERT_TRUE(server) << server.error();
  RawSocket client{::socket(AF_INET, SOCK_STREAM, 0)};
  sockaddr_in addr = loopback(server.value()->port());
  ASSERT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  // A record header and then a byte every 100 ms: never silent for a whole read timeout.
  const std::string hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  std::vector<ServerConnection> done;
  for (int i = 0; i < 60 && done.empty(); ++i) {  // at most 6 s
    if (i < static_cast<int>(hello.size())) (void)::send(client.fd, &hello[static_cast<std::size_t>(i)], 1, MSG_NOSIGNAL);
    else (void)::send(client.fd, "\x00", 1, MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    done = server.value()->finishedConnections();
  }
  server.value()->stop();
  ASSERT_EQ(done.size(), 1u) << "the trickling client was not cut off";
  EXPECT_NE(done[0].error.find("stopped: the handshake with the client was not done within 0.6 s"), std::string::npos)
      << done[0].error;
}
