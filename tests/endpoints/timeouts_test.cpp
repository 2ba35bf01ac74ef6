// A peer that says nothing: each side's handshake gives up after its read
// timeout and says so, instead of reporting that the peer closed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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
