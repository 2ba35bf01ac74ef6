#include "tlslab/scenarios/course/Program.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "ProgramHosts.hpp"
#include "ProgramSpawn.hpp"

namespace tlslab::course {

using namespace std::chrono;
using detail::BoundedText;
using detail::Child;
using detail::HostsPlan;

namespace {

// Signals a student's program dies of, in the words a student needs.
std::string signalText(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV (segmentation fault: it used memory it does not own, e.g. a NULL pointer such as an unchecked "
             "gethostbyname() or SSL_new() result, or a buffer overrun)";
    case SIGABRT: return "SIGABRT (aborted: an assert, abort(), or the C library found a double free or corrupted heap)";
    case SIGBUS: return "SIGBUS (bus error: a misaligned or unmapped memory access)";
    case SIGFPE: return "SIGFPE (arithmetic error, e.g. a division by zero)";
    case SIGILL: return "SIGILL (illegal instruction: a corrupted stack or function pointer)";
    case SIGPIPE: return "SIGPIPE (it wrote to a connection the peer had already closed)";
    case SIGKILL: return "SIGKILL (killed from outside, e.g. by the out-of-memory killer)";
    case SIGTERM: return "SIGTERM (asked to terminate from outside)";
    case SIGINT: return "SIGINT (interrupted, as by Ctrl-C)";
    default: {
      const char* abbrev = sigabbrev_np(sig);
      const char* text = sigdescr_np(sig);
      return fmt::format("SIG{} ({})", abbrev ? abbrev : std::to_string(sig).c_str(), text ? text : "unknown signal");
    }
  }
}

std::string secondsText(double seconds) { return fmt::format("{:.3g} s", seconds); }

std::string sizeText(std::size_t bytes) {
  return bytes >= 1024 ? fmt::format("{} KiB", bytes / 1024) : fmt::format("{} bytes", bytes);
}

// The part of a result every way of running a program fills the same way.
void recordEnd(ProgramResult& result, int status, const BoundedText& out, const BoundedText& err,
               steady_clock::time_point began) {
  if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = out.text;
  result.err = err.text;
  result.outDropped = out.dropped;
  result.errDropped = err.dropped;
  result.outputTruncated = out.dropped > 0 || err.dropped > 0;
  result.seconds = duration<double>(steady_clock::now() - began).count();
}

// Plans the hosts file and starts the child; on failure `result` says why.
Child startChild(const ProgramSpec& spec, HostsPlan& hosts, ProgramResult& result) {
  detail::planHosts(spec.hosts, hosts);
  result.hostsMethod = hosts.method;
  result.hostsProblem = hosts.problem;
  if (!hosts.error.empty()) {
    result.startError = hosts.error;
    return {};
  }
  Child child = Child::spawn(spec, hosts.method, hosts.file);
  hosts.removeFile();  // bound in the child's namespace by now (or unused)
  result.started = child.started();
  if (!child.started()) result.startError = child.error();
  return child;
}

}  // namespace

std::string ProgramResult::describe() const {
  if (!started) {
    std::string text = "could not start: " + startError;
    if (!hostsProblem.empty())
      text += "\nAdd these lines to /etc/hosts (as root; remove them afterwards) and run the check again:\n" + hostsProblem;
    return text;
  }
  std::string text;
  if (timedOut) {
    text = "was still running after " + secondsText(seconds) + " and was killed (a hang?)";
  } else if (stopped) {
    text = "kept running until the checker stopped it after " + secondsText(seconds);
  } else if (signal != 0) {
    text = "crashed with " + signalText(signal);
  } else {
    text = "exited with status " + std::to_string(exitCode);
  }
  if (out.empty() && err.empty()) text += ", printing nothing";
  if (outputTruncated)
    text += ", output cut at " + sizeText(out.size() > err.size() ? out.size() : err.size()) + " per stream (" +
            std::to_string(outDropped + errDropped) + " bytes dropped)";
  return text;
}

ProgramResult runProgram(const ProgramSpec& spec) {
  ProgramResult result;
  auto began = steady_clock::now();
  HostsPlan hosts;
  Child child = startChild(spec, hosts, result);
  if (!child.started()) {
    result.seconds = duration<double>(steady_clock::now() - began).count();
    return result;
  }
  BoundedText out{{}, spec.outputLimit, 0}, err{{}, spec.outputLimit, 0};
  result.timedOut = detail::pumpChild(child, spec, out, err, began + spec.timeout);
  recordEnd(result, child.reap(), out, err, began);
  return result;
}

struct BackgroundProgram::Impl {
  ProgramSpec spec;
  ProgramResult result;
  HostsPlan hosts;
  Child child;
  BoundedText out, err;
  steady_clock::time_point began;
  std::thread reader;
  bool finished = false;
};

pki::Result<std::unique_ptr<BackgroundProgram>> BackgroundProgram::start(const ProgramSpec& spec) {
  using R = pki::Result<std::unique_ptr<BackgroundProgram>>;
  auto impl = std::make_unique<Impl>();
  impl->spec = spec;
  impl->began = steady_clock::now();
  impl->child = startChild(spec, impl->hosts, impl->result);
  if (!impl->child.started()) return R::failure(impl->result.describe());
  impl->out.limit = impl->err.limit = spec.outputLimit;
  Impl* raw = impl.get();
  // Always drained, so a chatty server never blocks on a full pipe; killed at its deadline.
  raw->reader = std::thread([raw] {
    raw->result.timedOut =
        detail::pumpChild(raw->child, raw->spec, raw->out, raw->err, raw->began + raw->spec.timeout);
    if (raw->result.timedOut) raw->child.signalGroup(SIGKILL);
  });
  return R::success(std::unique_ptr<BackgroundProgram>(new BackgroundProgram(std::move(impl))));
}

BackgroundProgram::BackgroundProgram(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BackgroundProgram::~BackgroundProgram() { stop(); }

bool BackgroundProgram::running() { return !impl_->finished && !impl_->child.hasExited(); }

bool BackgroundProgram::waitForListener(const std::string& address, std::uint16_t port, milliseconds timeout) {
  auto end = steady_clock::now() + timeout;
  for (;;) {
    if (detail::somethingListens(address, port)) return true;
    if (!running() || steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

ProgramResult BackgroundProgram::stop() {
  Impl& impl = *impl_;
  if (impl.finished) return impl.result;
  impl.result.stopped = !impl.child.hasExited();
  if (impl.result.stopped) {
    impl.child.signalGroup(SIGTERM);
    // A grace period to flush and exit; then the whole group is killed.
    auto graceEnd = steady_clock::now() + milliseconds(500);
    while (!impl.child.hasExited() && steady_clock::now() < graceEnd) std::this_thread::sleep_for(milliseconds(10));
  }
  impl.child.signalGroup(SIGKILL);
  // The reader ends at EOF, or shortly after the child's exit if something else holds its pipes.
  if (impl.reader.joinable()) impl.reader.join();
  recordEnd(impl.result, impl.child.reap(), impl.out, impl.err, impl.began);
  impl.finished = true;
  return impl.result;
}

ProgramResult buildExercise(const std::filesystem::path& dir, const std::string& source, const std::string& program) {
  ProgramResult result;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / source, ec)) {
    result.startError = "there is no " + source + " in " + dir.string();
    return result;
  }
  ProgramSpec spec;
  spec.argv = {"cc", "-Wall", "-O1", "-o", program, source, "-lssl", "-lcrypto"};
  spec.cwd = dir;
  spec.timeout = seconds(120);
  result = runProgram(spec);
  if (!result.started && result.startError.find("not found in PATH") != std::string::npos)
    result.startError = "no C compiler: 'cc' was not found in PATH (install gcc and libssl-dev: scripts/setup-deps.sh)";
  return result;
}

}  // namespace tlslab::course
