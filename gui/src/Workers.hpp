#pragma once
// The GUI never blocks (DESIGN.md): capture files and labs run on worker
// threads; results and progress come back as queued calls on the GUI thread.
// Each controller owns at most one worker and joins it when destroyed, so a
// window closed mid-run cannot receive a call after it is gone.
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

#include "LabRunner.hpp"
#include "tlslab/model/Trace.hpp"

class QThread;

namespace tlslab::gui {

using TracePtr = std::shared_ptr<const model::Trace>;
// A trace the window owns and may change in place (a large file's
// connection gaining its payloads), so it never holds two copies.
using OwnedTracePtr = std::shared_ptr<model::Trace>;
using ConnectionPtr = std::shared_ptr<model::TraceConnection>;

// What File → Open Capture asks for.
struct OpenRequest {
  QString capture;
  QString keyLog;      // optional NSS key log
  QString rsaKey;      // optional RSA server key (TLS 1.2 RSA key exchange)
  QString keyPassword;
  QString psk;          // optional pre-shared key in hex (PSK cipher suites, DTLS PSK)
  QString pskIdentity;  // optional: the identity that key is for (empty: any)
};

// Files at least this large open without application data payloads (memory
// stays bounded); a connection's payloads load when the user opens it.
constexpr qint64 kKeepPayloadsBelow = qint64{64} << 20;

class CaptureLoader : public QObject {
  Q_OBJECT
 public:
  explicit CaptureLoader(QObject* parent = nullptr);
  ~CaptureLoader() override;
  bool isRunning() const { return running_; }
  // keepPayloadsBelow: files of this size or more drop application data.
  void start(const OpenRequest& request, qint64 keepPayloadsBelow = kKeepPayloadsBelow);
  void cancel() { cancelled_->store(true); }

 signals:
  // percent is -1 when the size is unknown.
  void progress(int percent, const QString& text);
  // The connections found so far, while a large file is still being read.
  void partial(tlslab::gui::TracePtr trace);
  void loaded(const tlslab::gui::OpenRequest& request, tlslab::gui::OwnedTracePtr trace, const QString& notes);
  void failed(const tlslab::gui::OpenRequest& request, const QString& message);

 private:
  QThread* thread_ = nullptr;
  bool running_ = false;  // false as soon as the final signal is emitted (the thread may still be winding down)
  std::shared_ptr<std::atomic<bool>> cancelled_;
};

// The lazy half of opening a huge file: one connection read again from the
// file with its application data (dissect::dissectConnection), posted alone;
// the window puts it into its own trace in place (no copy of the trace).
class ConnectionPayloadLoader : public QObject {
  Q_OBJECT
 public:
  explicit ConnectionPayloadLoader(QObject* parent = nullptr);
  ~ConnectionPayloadLoader() override;
  bool isRunning() const { return running_; }
  // `opened`: the connection as the first pass found it (copied: the worker
  // never reads the window's trace, which may change meanwhile).
  void start(const OpenRequest& request, const model::TraceConnection& opened, int connection);

 signals:
  void loaded(tlslab::gui::ConnectionPtr loaded, int connection);
  void failed(int connection, const QString& message);

 private:
  QThread* thread_ = nullptr;
  bool running_ = false;
};

struct LiveRequest {
  QString device;
  QString filter;
  // Optional SSLKEYLOGFILE, followed while capturing (it may not exist yet).
  QString keyLog;
};

// Live capture: packets from libpcap through the capture pipeline into the
// dissector on a worker thread; the trace so far is posted about twice a
// second, so connections appear as they happen.
class LiveCaptureController : public QObject {
  Q_OBJECT
 public:
  explicit LiveCaptureController(QObject* parent = nullptr);
  ~LiveCaptureController() override;
  bool isRunning() const { return running_; }
  void start(const LiveRequest& request);
  void stop();

 signals:
  void snapshot(tlslab::gui::TracePtr trace, const QString& status);
  void stopped(tlslab::gui::TracePtr trace, const QString& status);
  void failed(const QString& message);

 private:
  struct Shared;  // the running capture, so stop() can reach it from the GUI thread
  QThread* thread_ = nullptr;
  bool running_ = false;  // false as soon as the final signal is emitted (the thread may still be winding down)
  std::shared_ptr<Shared> shared_;
};

class LabController : public QObject {
  Q_OBJECT
 public:
  explicit LabController(QObject* parent = nullptr);
  ~LabController() override;
  bool isRunning() const { return running_; }
  void start(const LabRequest& request);
  // The last run as pcapng with its key log (empty before the first run).
  const std::string& pcapng() const { return pcapng_; }

 signals:
  void started(const QString& title);
  // One line of the run log per endpoint event, as it happens.
  void eventLine(const QString& line);
  // The ladder so far, while the run is going (see LiveRun.hpp).
  void preview(tlslab::gui::TracePtr trace);
  void finished(tlslab::gui::TracePtr trace, const QString& verdict, const QString& error);

 private:
  QThread* thread_ = nullptr;
  bool running_ = false;  // false as soon as the final signal is emitted (the thread may still be winding down)
  std::string pcapng_;
};

}  // namespace tlslab::gui
