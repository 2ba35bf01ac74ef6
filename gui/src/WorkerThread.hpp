#pragma once
// The one way the GUI's controllers run work off the GUI thread (DESIGN.md,
// "GUI shell"): a QThread per job, remembered in the controller's slot, and
// joined when the controller is destroyed, so no result arrives after it is gone.
#include <QObject>
#include <QThread>

namespace tlslab::gui {

// Starts `work` on a new thread; `slot` is reset on the GUI thread when done.
template <typename Work>
QThread* spawnWorker(QObject* owner, QThread*& slot, Work work) {
  QThread* thread = QThread::create(std::move(work));
  QObject::connect(thread, &QThread::finished, owner, [thread, &slot] {
    if (slot == thread) slot = nullptr;
    thread->deleteLater();
  });
  slot = thread;
  thread->start();
  return thread;
}

inline void joinWorker(QThread*& thread) {
  if (thread == nullptr) return;
  thread->wait();
  delete thread;
  thread = nullptr;
}

}  // namespace tlslab::gui
