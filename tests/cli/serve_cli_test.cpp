// `tlslab serve` as the course uses it: the textbook client's requests, a
// certificate chain the student made with openssl, and hints that work.
#include <arpa/inet.h>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"

using namespace tlslab::test;

namespace {

std::string cli(const std::string& args) { return tlslabExe().string() + " " + args; }

// Starts `tlslab serve ARGS` on a free port; the caller waits for "serving".
std::unique_ptr<BackgroundProcess> serve(std::uint16_t port, std::vector<std::string> args) {
  std::vector<std::string> argv{tlslabExe().string(), "serve", "--port", std::to_string(port), "--seconds", "30"};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<BackgroundProcess>(argv);
}

// The student as a CA (lab 5), the textbook's openssl commands: a root, a
// server certificate for the student's own name, a client certificate.
class StudentPki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per test process: ctest -j runs this suite's tests side by side.
    dir_ = binaryDir() / ("serve-cli-student-pki-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "server.ext") << "subjectAltName=DNS:student42.lab\nbasicConstraints=CA:FALSE\n"
                                          "extendedKeyUsage=serverAuth\n";
    std::ofstream(dir_ / "client.ext") << "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n";
    const std::string d = dir_.string();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    for (const std::string& step : {
             "openssl req -x509" + ec + " -keyout " + d + "/ca.key -out " + d + "/ca.crt -days 30 -subj '/CN=Student42 Root CA'"
                 " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
             "openssl req" + ec + " -keyout " + d + "/server.key -out " + d + "/server.csr -subj '/CN=student42.lab'",
             "openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.crt -CAkey " + d + "/ca.key -CAcreateserial -days 30"
                 " -extfile " + d + "/server.ext -out " + d + "/server.crt",
             "openssl req" + ec + " -keyout " + d + "/client.key -out " + d + "/client.csr -subj '/CN=student42'",
             "openssl x509 -req -in " + d + "/client.csr -CA " + d + "/ca.crt -CAkey " + d + "/ca.key -CAcreateserial -days 30"
                 " -extfile " + d + "/client.ext -out " + d + "/client.crt",
         }) {
      auto result = run(step);
      ASSERT_EQ(result.exitCode, 0) << step << "\n" << result.out;
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string file(const char* name) { return (dir_ / name).string(); }
  static std::filesystem::path dir_;
};
std::filesystem::path StudentPki::dir_;

}  // namespace

// RFC 9112 §2.2: the SEED textbook client ends its lines with a bare LF.
TEST(ServeCli, AnswersTheTextbookClientsBareLfRequest) {
  auto port = freeLoopbackPort();
  auto server = serve(port, {"--connections", "1"});
  ASSERT_TRUE(server->waitForOutput("serving", 10000)) << server->output();
  auto client = run(cli("connect bank32.com:" + std::to_string(port) +
                        " --send 'GET / HTTP/1.1\\nHost: bank32.com\\n\\n' --expect '</html>'"));
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_EQ(server->wait(10000), 0);
  EXPECT_NE(server->output().find("served 1 connection(s), 0 failed"), std::string::npos) << server->output();
}

TEST_F(StudentPki, ServesTheChainAndKeyTheStudentMade) {
  auto port = freeLoopbackPort();
  auto server = serve(port, {"--cert-file", file("server.crt"), "--key-file", file("server.key"), "--connections", "1"});
  ASSERT_TRUE(server->waitForOutput("serving", 10000)) << server->output();
  EXPECT_NE(server->output().find("with your certificate " + file("server.crt")), std::string::npos) << server->output();
  auto client = run(cli("connect student42.lab:" + std::to_string(port) + " --resolve student42.lab=127.0.0.1 --trust " +
                        file("ca.crt")));
  EXPECT_EQ(client.exitCode, 0) << client.out;
  EXPECT_NE(client.out.find("Hello from student42.lab"), std::string::npos) << client.out;
  // The lab's own root does not vouch for the student's CA.
  auto labTrust = run(cli("connect student42.lab:" + std::to_string(port) + " --resolve student42.lab=127.0.0.1"));
  EXPECT_EQ(labTrust.exitCode, 1) << labTrust.out;
}

TEST_F(StudentPki, MistakesInTheFilesAreClearErrors) {
  auto missing = run(cli("serve --port 0 --seconds 1 --cert-file /nonexistent/server.crt --key-file " + file("server.key")));
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.out.find("/nonexistent/server.crt: no such file"), std::string::npos) << missing.out;
  auto mismatch = run(cli("serve --port 0 --seconds 1 --cert-file " + file("server.crt") + " --key-file " + file("client.key")));
  EXPECT_EQ(mismatch.exitCode, 1);
  EXPECT_NE(mismatch.out.find("does not belong to the first certificate of " + file("server.crt")), std::string::npos)
      << mismatch.out;
  auto notPem = run(cli("serve --port 0 --seconds 1 --cert-file " + file("server.ext") + " --key-file " + file("server.key")));
  EXPECT_EQ(notPem.exitCode, 1);
  EXPECT_NE(notPem.out.find("is not a PEM certificate chain"), std::string::npos) << notPem.out;
  auto keyAlone = run(cli("serve --port 0 --seconds 1 --key-file " + file("server.key")));
  EXPECT_NE(keyAlone.exitCode, 0);
  EXPECT_NE(keyAlone.out.find("--key-file requires --cert-file"), std::string::npos) << keyAlone.out;
}

// mTLS with the student's CA instead of the lab root.
TEST_F(StudentPki, ClientCaAcceptsOnlyClientsOfThatCa) {
  auto port = freeLoopbackPort();
  auto server = serve(port, {"--client-auth", "require", "--client-ca", file("ca.crt"), "--connections", "2"});
  ASSERT_TRUE(server->waitForOutput("serving", 10000)) << server->output();
  auto own = run(cli("connect bank32.com:" + std::to_string(port) + " --cert " + file("client.crt") + " --key " +
                     file("client.key")));
  EXPECT_EQ(own.exitCode, 0) << own.out;
  auto lab = run(cli("connect bank32.com:" + std::to_string(port) + " --cert " +
                     (sourceDir() / "certs" / "student01" / "chain.pem").string() + " --key " +
                     (sourceDir() / "certs" / "student01" / "key.pem").string()));
  EXPECT_EQ(lab.exitCode, 1) << lab.out;
  EXPECT_EQ(server->wait(10000), 0);
  EXPECT_NE(server->output().find("1 failed"), std::string::npos) << server->output();
}

// Each service's "try:" line, pasted as a student would, reaches the server.
TEST(ServeCli, TheTryHintWorksForEveryService) {
  for (const char* service : {"https", "echo", "smtp", "pop3", "imap"}) {
    auto port = freeLoopbackPort();
    auto server = serve(port, {"--service", service, "--connections", "1"});
    ASSERT_TRUE(server->waitForOutput("try:  ", 10000)) << server->output();
    const std::string out = server->output();
    const auto start = out.find("try:  tlslab ") + 6;
    const std::string hint = out.substr(start, out.find('\n', start) - start);
    auto client = run(cli(hint.substr(std::string("tlslab ").size())));
    EXPECT_EQ(client.exitCode, 0) << service << ": " << hint << "\n" << client.out;
  }
}

TEST(ServeCli, PlainServerHintUsesPlain) {
  auto port = freeLoopbackPort();
  auto server = serve(port, {"--plain", "--connections", "1"});
  ASSERT_TRUE(server->waitForOutput("try:  ", 10000)) << server->output();
  EXPECT_NE(server->output().find("try:  tlslab connect bank32.com:" + std::to_string(port) + " --plain"), std::string::npos)
      << server->output();
  EXPECT_NE(server->output().find("nc 127.0.0.1 " + std::to_string(port)), std::string::npos) << server->output();
}

// A second server on a port in use names the process that holds it
// (/proc/net/tcp + /proc/PID/fd) and says what to do.
TEST(ServeCli, PortInUseNamesTheProcessHoldingIt) {
  auto port = std::to_string(freeLoopbackPort());
  BackgroundProcess first({tlslabExe().string(), "mitm", "--port", port, "--seconds", "30"});
  ASSERT_TRUE(first.waitForOutput("proxy on", 10000)) << first.output();
  for (const std::string& second : {"mitm --port " + port + " --seconds 1", "serve --address 127.0.0.66 --port " + port + " --seconds 1"}) {
    auto result = run(cli(second));
    EXPECT_EQ(result.exitCode, 1) << result.out;
    EXPECT_NE(result.out.find("bind 127.0.0.66:" + port + ": Address already in use: held by pid "), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("(" + tlslabExe().string() + " mitm --port " + port + " --seconds 30), listening on 127.0.0.66:" + port),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("choose another port: --port N (--port 0 picks a free one)"), std::string::npos) << result.out;
  }
}

// Any address but loopback is refused, and the message names the one command
// whose own namespaces may be used (only `lab run mitm` has --netns).
TEST(ServeCli, ANonLoopbackAddressIsRefusedNamingWhatIsAllowed) {
  auto refused = tlslab::test::run(tlslab::test::tlslabExe().string() + " serve --address 10.0.0.1 --port 0");
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_NE(refused.out.find("refusing to listen on '10.0.0.1': labs use loopback addresses only (127.0.0.0/8, ::1), "
                             "or the network namespaces `tlslab lab run mitm --netns` creates"),
            std::string::npos)
      << refused.out;
}

// A failed expectation quotes the student's text on the result line as typed
// (\r\n visible), so the line never breaks apart on the terminal.
TEST(ServeCli, AConnectErrorQuotingCrLfStaysOnOneLine) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--connections", "1"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  auto result = run(cli("connect bank32.com:" + std::to_string(port) +
                        " --send 'GET / HTTP/1.0\\r\\n\\r\\n' --expect 'nothing\\r\\nhere'"));
  EXPECT_EQ(result.exitCode, 1) << result.out;
  EXPECT_NE(result.out.find("result: FAILED: expected 'nothing\\r\\nhere' but the server closed the connection\n"),
            std::string::npos)
      << result.out;
}

namespace {

// A connected loopback socket that says nothing (closed when it goes).
struct IdleConnection {
  int fd = -1;
  explicit IdleConnection(std::uint16_t port, const char* address = "127.0.0.1") {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, address, &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ~IdleConnection() {
    if (fd >= 0) ::close(fd);
  }
  IdleConnection(const IdleConnection&) = delete;
  IdleConnection& operator=(const IdleConnection&) = delete;
};

// CPU time (user + system, in clock ticks) the process has used so far.
long cpuTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return utime + stime;
}

}  // namespace

// At --max-connections the server says it is full and new clients wait;
// when one ends, the next is served.
TEST(ServeCli, AFullServerSaysSoAndServesTheNextWhenOneEnds) {
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--port", std::to_string(port), "--max-connections", "1"});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  {
    IdleConnection idle(port);
    ASSERT_GE(idle.fd, 0);
    EXPECT_TRUE(server.waitForOutput("serving 1 connections, the most at once: new ones wait", 5000)) << server.output();
  }
  auto client = run(cli("connect bank32.com:" + std::to_string(port)));
  EXPECT_EQ(client.exitCode, 0) << client.out;
}

// Out of file descriptors the accept loop backs off and says why, instead of
// spinning; once descriptors are free again it serves.
TEST(ServeCli, OutOfDescriptorsTheServerBacksOffAndSaysWhy) {
  if (!std::filesystem::exists("/usr/bin/prlimit")) GTEST_SKIP() << "prlimit (util-linux) is not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({"prlimit", "--nofile=24", tlslabExe().string(), "serve", "--port", std::to_string(port)});
  ASSERT_TRUE(server.waitForOutput("serving", 10000)) << server.output();
  {
    std::vector<std::unique_ptr<IdleConnection>> idle;
    for (int i = 0; i < 30; ++i) idle.push_back(std::make_unique<IdleConnection>(port));
    EXPECT_TRUE(server.waitForOutput("cannot accept: out of file descriptors (EMFILE); trying again every 100 ms", 5000))
        << server.output();
    const long before = cpuTicks(server.pid());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_LT(cpuTicks(server.pid()) - before, 30) << "the accept loop spins";
  }
  auto client = run(cli("connect bank32.com:" + std::to_string(port)));
  EXPECT_EQ(client.exitCode, 0) << client.out;
}

// The STARTTLS attacker's accept loop too: each victim costs it two
// descriptors (the victim's and its own to the real server).
TEST(ServeCli, OutOfDescriptorsTheStarttlsAttackerBacksOffAndSaysWhy) {
  if (!std::filesystem::exists("/usr/bin/prlimit")) GTEST_SKIP() << "prlimit (util-linux) is not installed";
  auto port = freeLoopbackPort();
  BackgroundProcess server({tlslabExe().string(), "serve", "--service", "smtp", "--port", std::to_string(port),
                            "--seconds", "30"});
  ASSERT_TRUE(server.waitForOutput("try:", 10000)) << server.output();
  BackgroundProcess proxy({"prlimit", "--nofile=24", tlslabExe().string(), "mitm", "--starttls", "smtp", "--strip",
                           "--port", std::to_string(port), "--target-port", std::to_string(port), "--seconds", "30"});
  ASSERT_TRUE(proxy.waitForOutput("stripping STARTTLS", 10000)) << proxy.output();
  std::vector<std::unique_ptr<IdleConnection>> idle;
  for (int i = 0; i < 30; ++i) idle.push_back(std::make_unique<IdleConnection>(port, "127.0.0.66"));
  // Which call meets the limit first (accept, or the socket to the server)
  // is a race between threads; either way the attacker names it.
  EXPECT_TRUE(proxy.waitForOutput("out of file descriptors (EMFILE)", 5000)) << proxy.output();
  const long before = cpuTicks(proxy.pid());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_LT(cpuTicks(proxy.pid()) - before, 30) << "the accept loop spins";
}

// --timeout: a server that accepts and says nothing is named as a timeout.
TEST(ServeCli, ConnectToASilentServerTimesOutAfterItsTimeout) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  auto result = run(cli("connect bank32.com:" + std::to_string(ntohs(addr.sin_port)) + " --timeout 0.3"));
  ::close(listener);
  EXPECT_EQ(result.exitCode, 1) << result.out;
  EXPECT_NE(result.out.find("timed out after 0.3 s waiting for the server's next handshake message"), std::string::npos)
      << result.out;
}
