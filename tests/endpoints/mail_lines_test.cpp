// The STARTTLS services' command lines from a misbehaving client: an
// over-long line gets the protocol's error reply, and a timeout, an
// over-long or a cut-off line counts as a failed connection saying why;
// only a hang-up between commands is a clean end.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab::endpoints;

namespace {

struct MailCase {
  const char* name;
  Service service;
  const char* tooLongReply;
};

// One raw cleartext client session against a fresh server; returns what the
// server said and the finished connection's error.
struct Session {
  std::string heard;
  std::string error;
};

Session talk(Service service, const std::string& send, bool closeAfter, int ioTimeoutMs = 2000) {
  ServerConfig config = tlslab::test::labServerFor("mail-bank32", service);
  config.ioTimeoutMs = ioTimeoutMs;
  auto server = LabServer::start(config);
  EXPECT_TRUE(server) << server.error();
  if (!server) return {};
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.value()->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  Session session;
  char buffer[8192];
  if (long n = ::recv(fd, buffer, sizeof buffer, 0); n > 0) session.heard.assign(buffer, static_cast<std::size_t>(n));
  if (!send.empty()) (void)::send(fd, send.data(), send.size(), MSG_NOSIGNAL);
  if (closeAfter) ::shutdown(fd, SHUT_WR);
  for (long n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) session.heard.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  std::vector<ServerConnection> done;
  for (int i = 0; i < 100 && done.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    done = server.value()->finishedConnections();
  }
  server.value()->stop();
  EXPECT_EQ(done.size(), 1u);
  if (!done.empty()) session.error = done[0].error;
  return session;
}

class MailLines : public ::testing::TestWithParam<MailCase> {};

}  // namespace

TEST_P(MailLines, AnOverlongLineGetsTheProtocolsErrorAndFailsTheConnection) {
  Session s = talk(GetParam().service, std::string(5000, 'A'), false);
  EXPECT_NE(s.heard.find(GetParam().tooLongReply), std::string::npos) << s.heard;
  EXPECT_NE(s.error.find("a command line longer than 4096 bytes"), std::string::npos) << s.error;
}

TEST_P(MailLines, ALineCutOffByTheCloseIsAFailureNotAHangUp) {
  Session s = talk(GetParam().service, "NOOP", true);
  EXPECT_NE(s.error.find("the client closed in the middle of a line (4 bytes without CR LF)"), std::string::npos)
      << s.error;
  Session clean = talk(GetParam().service, "", true);
  EXPECT_EQ(clean.error, "");
}

TEST_P(MailLines, ASilentClientTimesOutAndSaysSo) {
  Session s = talk(GetParam().service, "", false, 300);
  EXPECT_NE(s.error.find("timed out"), std::string::npos) << s.error;
}

INSTANTIATE_TEST_SUITE_P(Services, MailLines,
                         ::testing::Values(MailCase{"smtp", Service::Smtp, "500 5.5.6 Line too long\r\n"},
                                           MailCase{"pop3", Service::Pop3, "-ERR line too long\r\n"},
                                           MailCase{"imap", Service::Imap, "* BAD line too long\r\n"}),
                         [](const ::testing::TestParamInfo<MailCase>& param) { return std::string(param.param.name); });
