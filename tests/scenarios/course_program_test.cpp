// Running a student's program for a check: real child processes (sh, cat,
// getent, C programs compiled here with cc), their exit, crash, hang and
// output, and the private /etc/hosts of the textbook's hosts step.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "support/Process.hpp"
#include "support/TestPaths.hpp"
#include "ProgramTestSupport.hpp"
#include "tlslab/scenarios/course/Program.hpp"

using namespace tlslab::course;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {


using tlslab::test::Spec;
class CourseProgram : public tlslab::test::ProgramTest {};

ProgramSpec shell(const std::string& script) { return Spec({"/bin/sh", "-c", script}).spec; }

bool goneOrZombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
}

}  // namespace

TEST_F(CourseProgram, ReportsTheExitStatusAndOutput) {
  ProgramResult result = runProgram(shell("echo to-out; echo to-err >&2; exit 3"));
  ASSERT_TRUE(result.started) << result.startError;
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_EQ(result.signal, 0);
  EXPECT_FALSE(result.timedOut);
  EXPECT_EQ(result.out, "to-out\n");
  EXPECT_EQ(result.err, "to-err\n");
  EXPECT_FALSE(result.exitedCleanly());
  EXPECT_EQ(result.describe(), "exited with status 3");
}

TEST_F(CourseProgram, SaysWhenAProgramPrintedNothing) {
  ProgramResult result = runProgram(shell("exit 0"));
  EXPECT_TRUE(result.exitedCleanly());
  EXPECT_EQ(result.describe(), "exited with status 0, printing nothing");
}

TEST_F(CourseProgram, FeedsStdinTextThenClosesIt) {
  ProgramResult result = Spec({"cat"}).stdinText("GET / HTTP/1.1\nHost: bank32.com\n\n").run();
  EXPECT_TRUE(result.exitedCleanly()) << result.describe();
  EXPECT_EQ(result.out, "GET / HTTP/1.1\nHost: bank32.com\n\n");
}

TEST_F(CourseProgram, CanKeepStdinOpenAfterTheTextLikeATerminal) {
  const std::string script = "read line; echo got $line; if read more; then echo more; else echo eof; fi";
  ProgramResult closed = Spec({"/bin/sh", "-c", script}).stdinText("hello\n").run();
  EXPECT_EQ(closed.out, "got hello\neof\n");
  ProgramResult open = Spec({"/bin/sh", "-c", script}).stdinText("hello\n").keepStdinOpen().timeout(300ms).run();
  EXPECT_EQ(open.out, "got hello\n");
  EXPECT_TRUE(open.timedOut);
}

TEST_F(CourseProgram, GivesAnEmptyStdinWhenThereIsNoText) {
  // cat would block forever on an inherited terminal or pipe; /dev/null ends it at once.
  ProgramResult result = Spec({"cat"}).timeout(5s).run();
  EXPECT_TRUE(result.exitedCleanly()) << result.describe();
  EXPECT_LT(result.seconds, 2.0);
}

TEST_F(CourseProgram, NamesTheSignalOfACrash) {
  fs::path crasher = compile("crasher", R"(#include <stdio.h>
#include <string.h>
int main(int argc, char** argv) {
  printf("about to crash\n");
  fflush(stdout);
  char* volatile p = argc > 5 ? argv[0] : NULL;
  return (int)strlen(p);  /* reading through NULL, as after an unchecked gethostbyname() */
})");
  ProgramResult result = Spec({crasher.string()}).run();
  ASSERT_TRUE(result.started) << result.startError;
  EXPECT_EQ(result.signal, SIGSEGV);
  EXPECT_EQ(result.out, "about to crash\n");
  EXPECT_NE(result.describe().find("crashed with SIGSEGV (segmentation fault"), std::string::npos) << result.describe();
}

TEST_F(CourseProgram, KillsAHangingProgramAndItsWholeGroupAtTheDeadline) {
  ProgramSpec spec = shell("sleep 100 & echo $!; sleep 100");
  spec.timeout = 1000ms;
  ProgramResult result = runProgram(spec);
  ASSERT_TRUE(result.started) << result.startError;
  EXPECT_TRUE(result.timedOut);
  EXPECT_LT(result.seconds, 4.0);
  EXPECT_NE(result.describe().find("was still running after"), std::string::npos) << result.describe();
  EXPECT_NE(result.describe().find("(a hang?)"), std::string::npos);
  ASSERT_FALSE(result.out.empty()) << "the shell did not print its background pid in time";
  pid_t grandchild = std::stoi(result.out);
  // SIGKILL went to the whole group; its delivery to the grandchild is asynchronous.
  auto until = std::chrono::steady_clock::now() + 3s;
  while (!goneOrZombie(grandchild) && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(goneOrZombie(grandchild)) << "the background sleep " << grandchild << " survived";
}

TEST_F(CourseProgram, UnbufferedOutputSurvivesTheKillAtTheDeadline) {
  fs::path printer = compile("printer", R"(#include <stdio.h>
#include <unistd.h>
int main(void) {
  printf("the page");  /* a pipe makes stdout fully buffered: this waits in the buffer */
  for (;;) pause();
})");
  ProgramResult buffered = Spec({printer.string()}).timeout(300ms).run();
  EXPECT_TRUE(buffered.timedOut);
  EXPECT_EQ(buffered.out, "");
  ProgramResult unbuffered = Spec({printer.string()}).timeout(300ms).unbuffered().run();
  EXPECT_TRUE(unbuffered.timedOut);
  EXPECT_EQ(unbuffered.out, "the page");
}

TEST_F(CourseProgram, BoundsHugeOutputAndCountsWhatItDropped) {
  ProgramSpec spec = shell("head -c 3000000 /dev/zero; echo done >&2");
  spec.outputLimit = 64 * 1024;
  ProgramResult result = runProgram(spec);
  // Still drained past the bound, so the program never blocks on a full pipe.
  EXPECT_TRUE(result.exitedCleanly()) << result.describe();
  EXPECT_EQ(result.out.size(), 64u * 1024);
  EXPECT_EQ(result.outDropped, 3000000u - 64 * 1024);
  EXPECT_EQ(result.err, "done\n");
  EXPECT_TRUE(result.outputTruncated);
  EXPECT_NE(result.describe().find("bytes dropped"), std::string::npos);
}

TEST_F(CourseProgram, ExplainsAProgramThatCannotStart) {
  ProgramResult missing = Spec({(dir_ / "tls_client").string()}).run();
  EXPECT_FALSE(missing.started);
  EXPECT_EQ(missing.describe(), "could not start: no such file: " + (dir_ / "tls_client").string());

  std::ofstream(dir_ / "not-executable") << "int main;";
  ProgramResult notExecutable = Spec({"./not-executable"}).cwd(dir_).run();
  EXPECT_FALSE(notExecutable.started);
  EXPECT_NE(notExecutable.startError.find("is not executable"), std::string::npos) << notExecutable.startError;

  fs::permissions(dir_ / "not-executable", fs::perms::owner_all);
  ProgramResult garbage = Spec({"./not-executable"}).cwd(dir_).run();
  EXPECT_FALSE(garbage.started);
  EXPECT_NE(garbage.startError.find("exec failed: Exec format error"), std::string::npos) << garbage.startError;

  ProgramResult notInPath = Spec({"tlslab-no-such-program"}).run();
  EXPECT_NE(notInPath.startError.find("not found in PATH"), std::string::npos);

  ProgramResult badFolder = Spec({"true"}).cwd(dir_ / "missing").run();
  EXPECT_FALSE(badFolder.started);
  EXPECT_NE(badFolder.startError.find("cannot enter its working folder"), std::string::npos) << badFolder.startError;
}

TEST_F(CourseProgram, RunsInItsWorkingFolderWithExtraEnvironment) {
  ProgramResult result = Spec({"/bin/sh", "-c", "pwd; echo $TLSLAB_TEST_VALUE"}).cwd(dir_).env({"TLSLAB_TEST_VALUE=42"}).run();
  EXPECT_EQ(result.out, fs::canonical(dir_).string() + "\n42\n");
}

TEST_F(CourseProgram, BackgroundProgramIsFoundListeningAndStoppedWithItsChildren) {
  fs::path server = compile("listener", R"(#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char** argv) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr*)&a, sizeof a)) { perror("bind"); return 1; }
  if (fork() == 0) { sleep(100); return 0; }  /* a child of the group, as a forking server has */
  printf("listening\n");  /* before listen(): once the checker sees the listener, this is in the pipe */
  fflush(stdout);
  if (listen(s, 5)) { perror("listen"); return 1; }
  for (;;) pause();
})");
  std::uint16_t port = tlslab::test::freeLoopbackPort();

  auto started = BackgroundProgram::start(Spec({server.string(), std::to_string(port)}).timeout(30s).spec);
  ASSERT_TRUE(started) << started.error();
  BackgroundProgram& program = **started;
  EXPECT_TRUE(program.waitForListener("127.0.0.1", port, 5s));
  EXPECT_TRUE(program.running());
  ProgramResult result = program.stop();
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.out, "listening\n");
  EXPECT_NE(result.describe().find("kept running until the checker stopped it"), std::string::npos) << result.describe();
  EXPECT_FALSE(program.running());
}

TEST_F(CourseProgram, BackgroundProgramThatExitsAtOnceIsNotWaitedFor) {
  auto started = BackgroundProgram::start(shell("echo 'bind: Address already in use' >&2; exit 1"));
  ASSERT_TRUE(started) << started.error();
  auto began = std::chrono::steady_clock::now();
  EXPECT_FALSE((*started)->waitForListener("127.0.0.1", 9, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
  ProgramResult result = (*started)->stop();
  EXPECT_FALSE(result.stopped);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err, "bind: Address already in use\n");
  EXPECT_EQ(result.describe(), "exited with status 1");
}

TEST_F(CourseProgram, BackgroundProgramThatCannotStartSaysWhy) {
  auto started = BackgroundProgram::start(Spec({(dir_ / "tls_server").string()}).spec);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().find("no such file"), std::string::npos) << started.error();
}

TEST_F(CourseProgram, BuildExerciseCompilesWithOpenSsl) {
  std::ofstream(dir_ / "tls_client.c") << "#include <openssl/ssl.h>\nint main(void) { return SSL_CTX_new(TLS_client_method()) ? 0 : 1; }\n";
  ProgramResult built = buildExercise(dir_, "tls_client.c", "tls_client");
  EXPECT_TRUE(built.exitedCleanly()) << built.describe() << built.err;
  EXPECT_TRUE(Spec({(dir_ / "tls_client").string()}).run().exitedCleanly());

  std::ofstream(dir_ / "broken.c") << "int main(void) { return undeclared; }\n";
  ProgramResult broken = buildExercise(dir_, "broken.c", "broken");
  EXPECT_EQ(broken.exitCode, 1);
  EXPECT_NE(broken.err.find("undeclared"), std::string::npos);

  ProgramResult none = buildExercise(dir_, "tls_server.c", "tls_server");
  EXPECT_FALSE(none.started);
  EXPECT_NE(none.startError.find("there is no tls_server.c"), std::string::npos);
}
