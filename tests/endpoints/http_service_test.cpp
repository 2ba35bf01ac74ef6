// The lab's HTTPS service as the course's clients use it: the SEED textbook
// client's bare-LF requests, a per-student note on the page, and a server
// that closes after one response.
#include <gtest/gtest.h>

#include <chrono>

#include "support/LabConfigs.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"

using namespace tlslab::endpoints;

namespace {

std::unique_ptr<LabServer> startServer(const ServerConfig& config) {
  auto server = LabServer::start(config);
  if (!server) ADD_FAILURE() << server.error();
  return server ? std::move(server.value()) : nullptr;
}

// A client that gives up quickly, so a server that never answers fails the
// test in two seconds instead of waiting for the server's own timeout.
ClientRun request(const LabServer& server, std::vector<ScriptStep> script, bool useTls = true) {
  ClientConfig config = tlslab::test::labClientFor(server);
  config.useTls = useTls;
  config.ioTimeoutMs = 2000;
  config.script = std::move(script);
  return runClient(config);
}

template <class T>
std::vector<T> eventsOf(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
  return out;
}

}  // namespace

// RFC 9112 §2.2: "GET / HTTP/1.1\nHost: …\n\n" is how the textbook client asks.
TEST(HttpService, AnswersARequestWhoseLinesEndInABareLf) {
  auto server = startServer(tlslab::test::labServerFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("GET / HTTP/1.1\nHost: bank32.com\n\n"), ScriptStep::expect("</html>")});
  EXPECT_TRUE(run.scriptOk) << run.error;
  EXPECT_NE(run.received.find("You asked: GET / HTTP/1.1</p>"), std::string::npos) << run.received;
}

TEST(HttpService, AnswersBareLfRequestsWithoutTlsToo) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa");
  config.useTls = false;
  auto server = startServer(config);
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("GET /x HTTP/1.1\nHost: bank32.com\n\n"), ScriptStep::expect("</html>")},
                          false);
  EXPECT_TRUE(run.scriptOk) << run.error;
}

// Header names are case-insensitive (RFC 9110 §5.1), and the body's length
// is read from a bare-LF head as from a CRLF one.
TEST(HttpService, ReadsTheBodyOfABareLfPostWhateverTheHeaderCase) {
  auto server = startServer(tlslab::test::labServerFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("POST /login HTTP/1.1\nHost: bank32.com\ncontent-LENGTH: 13\n\n"
                                                     "user=a&pw=bc1"),
                                    ScriptStep::expect("</html>")});
  EXPECT_TRUE(run.scriptOk) << run.error;
  EXPECT_NE(run.received.find("Your login (user=a&pw=bc1) was received"), std::string::npos) << run.received;
}

TEST(HttpService, KeepsTheConnectionForMixedLineEndsAndClosesOnConnectionClose) {
  auto server = startServer(tlslab::test::labServerFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("GET /one HTTP/1.1\r\nHost: bank32.com\n\r\n"),
                                    ScriptStep::expect("You asked: GET /one"),
                                    ScriptStep::send("GET /two HTTP/1.1\nconnection: Close\n\n"),
                                    ScriptStep::expect("You asked: GET /two"), ScriptStep::expect("never sent")});
  EXPECT_NE(run.received.find("You asked: GET /two"), std::string::npos) << run.received;
  EXPECT_NE(run.error.find("closed the connection"), std::string::npos) << run.error;
}

TEST(HttpService, RefusesAContentLengthThatIsNotANumber) {
  auto server = startServer(tlslab::test::labServerFor("bank32-rsa"));
  ASSERT_TRUE(server);
  request(*server, {ScriptStep::send("POST /login HTTP/1.1\nContent-Length: 12abc\n\nuser=x"), ScriptStep::expect("</html>")});
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_NE(done[0].error.find("Content-Length is not a number: '12abc'"), std::string::npos) << done[0].error;
}

TEST(HttpService, PageNoteAppearsOnEveryPage) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa");
  config.pageNote = "<p>lab token: 7f3a-student01</p>";
  auto server = startServer(config);
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("GET / HTTP/1.1\r\n\r\n"), ScriptStep::expect("</html>"),
                                    ScriptStep::send("POST /login HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"),
                                    ScriptStep::expect("Welcome back"), ScriptStep::expect("</html>")});
  ASSERT_TRUE(run.scriptOk) << run.error;
  std::size_t first = run.received.find("<p>lab token: 7f3a-student01</p>\n</body>");
  ASSERT_NE(first, std::string::npos) << run.received;
  EXPECT_NE(run.received.find("<p>lab token: 7f3a-student01</p>", first + 1), std::string::npos) << run.received;
}

// A client that reads until the server closes (the textbook's loop) gets the
// close_notify right after the page, not after the server's idle timeout.
TEST(HttpService, CloseAfterResponseEndsTheConnectionWithCloseNotifyAtOnce) {
  ServerConfig config = tlslab::test::labServerFor("bank32-rsa");
  config.httpCloseAfterResponse = true;
  config.ioTimeoutMs = 5000;
  auto server = startServer(config);
  ASSERT_TRUE(server);
  auto started = std::chrono::steady_clock::now();
  ClientRun run = request(*server, {ScriptStep::send("GET / HTTP/1.1\nHost: bank32.com\n\n"), ScriptStep::expect("</html>"),
                                    ScriptStep::expect("anything after the page")});
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_NE(run.received.find("</html>"), std::string::npos) << run.received;
  // SSL_ERROR_ZERO_RETURN: the server's close_notify, not a timeout or a bare EOF.
  EXPECT_NE(run.error.find("closed the connection"), std::string::npos) << run.error;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  server->stop();
  auto done = server->finishedConnections();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].error, "");
  auto info = eventsOf<InfoEvent>(done[0].events);
  EXPECT_TRUE(std::any_of(info.begin(), info.end(), [](const auto& i) {
    return i.what == "alert sent" && i.state.find("close notify") != std::string::npos;
  }));
}

TEST(HttpService, WithoutCloseAfterResponseTheConnectionStaysOpen) {
  auto server = startServer(tlslab::test::labServerFor("bank32-rsa"));
  ASSERT_TRUE(server);
  ClientRun run = request(*server, {ScriptStep::send("GET / HTTP/1.1\r\n\r\n"), ScriptStep::expect("</html>"),
                                    ScriptStep::expect("anything after the page")});
  EXPECT_EQ(run.error.find("closed the connection"), std::string::npos) << run.error;
}
