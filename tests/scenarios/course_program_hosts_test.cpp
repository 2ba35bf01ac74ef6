// The textbook's /etc/hosts step for a checked program: a private hosts file
// seen by getent and by gethostbyname in a C program, the real one untouched;
// without root a user namespace, and without that the lines to add.
#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "support/TestPaths.hpp"
#include "ProgramTestSupport.hpp"
#include "tlslab/scenarios/course/Program.hpp"

using namespace tlslab::course;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using tlslab::test::Spec;
class CourseProgramHosts : public tlslab::test::ProgramTest {};



}  // namespace

TEST_F(CourseProgramHosts, PrivateHostsFileIsSeenByGetentAndLeavesTheRealOneAlone) {
  std::string before = readText("/etc/hosts");
  // The private hosts file is made in TMPDIR: here our own, so other tests' files do not count.
  const char* oldTmp = std::getenv("TMPDIR");
  std::string savedTmp = oldTmp ? oldTmp : "";
  ::setenv("TMPDIR", dir_.c_str(), 1);
  ProgramResult result = Spec({"getent", "hosts", "bank32.com"}).hosts({{"bank32.com", "127.0.0.66"}}).run();
  if (oldTmp) ::setenv("TMPDIR", savedTmp.c_str(), 1);
  else ::unsetenv("TMPDIR");
  ASSERT_TRUE(result.started) << result.describe();
  EXPECT_NE(result.hostsMethod, HostsMethod::Unavailable);
  if (::geteuid() == 0) {
    EXPECT_EQ(result.hostsMethod, HostsMethod::MountNamespace);
  }
  EXPECT_TRUE(result.exitedCleanly()) << result.describe() << result.err;
  EXPECT_NE(result.out.find("127.0.0.66"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("bank32.com"), std::string::npos);
  EXPECT_EQ(readText("/etc/hosts"), before);
  ProgramResult outside = Spec({"getent", "hosts", "bank32.com"}).run();
  EXPECT_EQ(outside.out.find("127.0.0.66"), std::string::npos) << "the mapping leaked: " << outside.out;
  // No temporary hosts file is left behind.
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().rfind("tlslab-hosts-", 0), std::string::npos) << entry.path();
}

TEST_F(CourseProgramHosts, PrivateHostsFileIsSeenByGethostbynameInAProgram) {
  fs::path resolver = compile("resolve", R"(#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
int main(int argc, char** argv) {
  struct hostent* hp = gethostbyname(argv[1]);
  if (!hp) { printf("unknown\n"); return 1; }
  printf("%s\n", inet_ntoa(*(struct in_addr*)hp->h_addr));
  return 0;
})");
  ProgramResult result = Spec({resolver.string(), "bank32.com"}).hosts({{"bank32.com", "127.0.0.1"}, {"attacker32.com", "127.0.0.66"}}).run();
  EXPECT_TRUE(result.exitedCleanly()) << result.describe();
  EXPECT_EQ(result.out, "127.0.0.1\n");
  ProgramResult attacker = Spec({resolver.string(), "attacker32.com"}).hosts({{"bank32.com", "127.0.0.1"}, {"attacker32.com", "127.0.0.66"}}).run();
  EXPECT_EQ(attacker.out, "127.0.0.66\n");
}

TEST_F(CourseProgramHosts, RefusesHostsEntriesOutsideLoopback) {
  ProgramResult result = Spec({"true"}).hosts({{"bank32.com", "10.0.0.1"}}).run();
  EXPECT_FALSE(result.started);
  EXPECT_NE(result.startError.find("refused"), std::string::npos) << result.startError;
  EXPECT_NE(result.startError.find("loopback"), std::string::npos);
  ProgramResult injected = Spec({"true"}).hosts({{"bank32.com\n10.0.0.1 evil", "127.0.0.1"}}).run();
  EXPECT_FALSE(injected.started);
  EXPECT_NE(injected.startError.find("not a host name"), std::string::npos);
}

TEST_F(CourseProgramHosts, HostsLinesAreWhatAStudentAdds) {
  EXPECT_EQ(hostsLines({{"bank32.com", "127.0.0.66"}, {"www.bank32.com", "127.0.0.1"}}),
            "127.0.0.66 bank32.com\n127.0.0.1 www.bank32.com\n");
}

namespace {

// Runs `body` in a child that dropped root for nobody (and, if asked, can no
// longer create namespaces); returns what the child wrote.
std::string asNobody(bool blockUnshare, const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string text;
    if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) {
      text = "cannot drop to nobody";
    } else {
      if (blockUnshare) {
        // seccomp: unshare(2) fails with EPERM, as on a kernel without user namespaces.
        sock_filter filter[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
          text = "cannot install the seccomp filter";
      }
      if (text.empty()) text = body();
    }
    [[maybe_unused]] auto n = ::write(fds[1], text.data(), text.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof(buffer))) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return text;
}

}  // namespace

TEST_F(CourseProgramHosts, UnprivilegedUsesAUserNamespaceWhenTheKernelAllowsIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  std::string seen = asNobody(false, [] {
    HostsMethod available = hostsMethodAvailable();
    ProgramResult result = Spec({"getent", "hosts", "bank32.com"}).hosts({{"bank32.com", "127.0.0.66"}}).run();
    return std::string(hostsMethodName(available)) + "|" + hostsMethodName(result.hostsMethod) + "|" + result.out +
           "|" + result.describe();
  });
  if (seen.rfind("unavailable|", 0) == 0)
    GTEST_SKIP() << "this kernel refuses unprivileged user namespaces (" << seen << ")";
  EXPECT_EQ(seen.rfind("user + mount namespace|user + mount namespace|127.0.0.66", 0), 0u) << seen;
}

TEST_F(CourseProgramHosts, WithoutNamespacesItPrintsTheLinesToAddAndDoesNotStart) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  std::string seen = asNobody(true, [] {
    ProgramResult result = Spec({"getent", "hosts", "bank32.com"}).hosts({{"bank32.com", "127.0.0.66"}}).run();
    return std::string(result.started ? "started" : "not started") + "|" + hostsMethodName(result.hostsMethod) + "|" +
           result.hostsProblem + "|" + result.describe();
  });
  EXPECT_EQ(seen.rfind("not started|unavailable|127.0.0.66 bank32.com\n|could not start: ", 0), 0u) << seen;
  EXPECT_NE(seen.find("Add these lines to /etc/hosts"), std::string::npos) << seen;
}

TEST_F(CourseProgramHosts, WithoutNamespacesTheSystemHostsFileIsUsedWhenItAlreadyMapsTheNames) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  std::string seen = asNobody(true, [] {
    ProgramResult result = Spec({"getent", "hosts", "localhost"}).hosts({{"localhost", "127.0.0.1"}}).run();
    return std::string(hostsMethodName(result.hostsMethod)) + "|" + (result.exitedCleanly() ? "ok" : result.describe());
  });
  EXPECT_EQ(seen, "the system's /etc/hosts|ok");
}

