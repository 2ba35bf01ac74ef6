#pragma once
// One thread per accepted connection: the accept loops join the threads that
// have finished as they go, so a long-running server keeps no dead stacks.
#include <list>

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

}  // namespace tlslab::endpoints
