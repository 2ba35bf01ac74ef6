// Feeding a child's stdin and draining its stdout/stderr under a bound and a
// deadline, without ever blocking on one stream while the other fills up.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "ProgramSpawn.hpp"

namespace tlslab::course::detail {

void BoundedText::append(const char* data, std::size_t n) {
  std::size_t room = text.size() < limit ? limit - text.size() : 0;
  std::size_t keep = std::min(room, n);
  text.append(data, keep);
  dropped += n - keep;
}

bool pumpChild(Child& child, const ProgramSpec& spec, BoundedText& out, BoundedText& err,
               std::chrono::steady_clock::time_point deadline, const std::atomic<bool>* stop) {
  const std::string& stdinText = spec.stdinText;
  bool stdinDone = stdinText.empty();
  using clock = std::chrono::steady_clock;
  constexpr auto kGraceAfterExit = std::chrono::milliseconds(200);
  std::size_t written = 0;
  if (child.in) ::fcntl(child.in.get(), F_SETFL, O_NONBLOCK);
  std::optional<clock::time_point> exitedAt;
  char buffer[65536];
  for (;;) {
    auto now = clock::now();
    if (now >= deadline) return true;
    if (stop && stop->load()) return false;
    if (!child.out && !child.err && child.hasExited()) return false;
    if (!exitedAt && child.hasExited()) exitedAt = now;
    if (exitedAt && now - *exitedAt >= kGraceAfterExit) return false;
    pollfd fds[3];
    int n = 0;
    UniqueFd* owners[3];
    for (UniqueFd* fd : {&child.out, &child.err}) {
      if (*fd) {
        fds[n] = {fd->get(), POLLIN, 0};
        owners[n++] = fd;
      }
    }
    if (child.in && !stdinDone) {
      fds[n] = {child.in.get(), POLLOUT, 0};
      owners[n++] = &child.in;
    }
    // Short slices: the exit of a child whose pipes stay open is noticed by waitid, not poll.
    int waitMs = static_cast<int>(std::min<long long>(
        50, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1));
    // Pipes closed but not yet reaped: the exit is a moment away.
    if (n == 0) waitMs = std::min(waitMs, 5);
    int ready = n > 0 ? ::poll(fds, static_cast<nfds_t>(n), waitMs) : (::usleep(static_cast<useconds_t>(waitMs) * 1000), 0);
    if (ready < 0 && errno != EINTR) return false;
    for (int i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      UniqueFd& fd = *owners[i];
      if (&fd == &child.in) {
        ssize_t w = ::write(fd.get(), stdinText.data() + written, stdinText.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        // All written, or the program closed its stdin (EPIPE): it gets EOF / nothing more.
        bool closedByProgram = w < 0 && errno != EAGAIN && errno != EINTR;
        stdinDone = written == stdinText.size() || closedByProgram;
        if (closedByProgram || (stdinDone && !spec.keepStdinOpen)) fd.reset();
        continue;
      }
      ssize_t r = ::read(fd.get(), buffer, sizeof(buffer));
      if (r > 0) {
        (&fd == &child.out ? out : err).append(buffer, static_cast<std::size_t>(r));
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        fd.reset();
      }
    }
  }
}

}  // namespace tlslab::course::detail
