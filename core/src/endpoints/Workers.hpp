#pragma once
// One thread per accepted connection: the accept loops join the threads that
// have finished as they go, so a long-running server keeps no dead stacks.
#include <cerrno>
#include <chrono>
#include <list>
#include <string>
#include <thread>

namespace tlslab::endpoints {

// Worker: a struct with a std::thread `thread` and a `done` flag the thread
// sets last. Call with the workers' mutex held.
template <class Worker>
void joinFinishedWorkers(std::list<Worker>& workers) {
  for (auto it = workers.begin(); it != workers.end();) {
    if (it->done) {
      it->thread.join();
      it = workers.erase(it);
    } else {
      ++it;
    }
  }
}

// accept() failed with `error`. Out of descriptors or memory it would fail
// again at once, and a loop retrying it spins a core: wait 100 ms first.
// Returns what to log (the first time; "" for errors retried at once, such as
// EINTR or ECONNABORTED).
inline std::string backOffAfterAcceptError(int error) {
  const char* why = error == EMFILE   ? "out of file descriptors (EMFILE)"
                    : error == ENFILE ? "the system is out of file descriptors (ENFILE)"
                    : error == ENOBUFS || error == ENOMEM ? "out of memory"
                                                          : nullptr;
  if (why == nullptr) return {};
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return std::string("cannot accept: ") + why + "; trying again every 100 ms";
}

}  // namespace tlslab::endpoints
