#include "Workers.hpp"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <chrono>
#include <mutex>

#include "EventText.hpp"
#include "LiveRun.hpp"
#include "WorkerThread.hpp"
#include "tlslab/util/Bytes.hpp"
#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/scenarios/LiveCaptureSession.hpp"

namespace tlslab::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// The key log and RSA key a request names, into `keys`; an error message
// (for a dialog) when one cannot be read, "" otherwise.
QString loadKeys(const OpenRequest& request, keys::KeyStore& keys, QStringList& notes) {
  if (!request.keyLog.isEmpty()) {
    auto loaded = keys.addKeyLogFile(request.keyLog.toStdString());
    if (!loaded) return QObject::tr("Cannot read the key log %1:\n%2").arg(request.keyLog, qs(loaded.error()));
    if (!loaded->empty()) notes << QObject::tr("%1 key log lines were not understood").arg(loaded->size());
  }
  if (!request.rsaKey.isEmpty()) {
    auto loaded = keys.addPrivateKeyFile(request.rsaKey.toStdString(), request.keyPassword.toStdString());
    if (!loaded) return QObject::tr("Cannot load the RSA key %1:\n%2").arg(request.rsaKey, qs(loaded.error()));
  }
  if (!request.psk.trimmed().isEmpty()) {
    auto key = fromHex(request.psk.trimmed().toStdString());
    if (!key || key->empty())
      return QObject::tr("The PSK \"%1\" is not a key in hex (e.g. ca19e028a8a372ad2d325f950fcaceed).").arg(request.psk);
    std::optional<std::string> identity;
    if (!request.pskIdentity.isEmpty()) identity = request.pskIdentity.toStdString();
    keys.addPsk(std::move(*key), identity, "GUI");
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------- capture

CaptureLoader::CaptureLoader(QObject* parent)
    : QObject(parent), cancelled_(std::make_shared<std::atomic<bool>>(false)) {}

CaptureLoader::~CaptureLoader() {
  cancel();
  joinWorker(thread_);
}

void CaptureLoader::start(const OpenRequest& request, qint64 keepPayloadsBelow) {
  if (isRunning()) return;
  cancelled_ = std::make_shared<std::atomic<bool>>(false);
  auto cancelled = cancelled_;
  running_ = true;
  spawnWorker(this, thread_, [this, request, cancelled, keepPayloadsBelow] {
    auto fail = [this, request](const QString& message) {
      QMetaObject::invokeMethod(this, [this, request, message] {
        running_ = false;
        emit failed(request, message);
      }, Qt::QueuedConnection);
    };
    keys::KeyStore keys;
    QStringList notes;
    if (QString error = loadKeys(request, keys, notes); !error.isEmpty()) return fail(error);
    // Our own pipeline instead of dissect::dissectFile, so the connections
    // found so far can be shown while a large file is still being read.
    const auto size = QFileInfo(request.capture).size();
    dissect::DissectOptions options;
    options.keepPayloads = size < keepPayloadsBelow;  // huge files: records without payloads, memory stays bounded
    dissect::TlsDissector dissector(keys, options);
    dissector.setSource(request.capture.toStdString());
    QElapsedTimer sinceSnapshot;
    sinceSnapshot.start();
    qint64 snapshotEvery = 400;  // ms: the first connections show within a second
    auto onProgress = [&, cancelled](const capture::ReadProgress& p) {
      const int percent = p.total > 0 ? static_cast<int>(p.position * 100 / p.total) : -1;
      const QString text = QObject::tr("%1 frames, %2 connections").arg(p.frames).arg(p.connections);
      QMetaObject::invokeMethod(this, [this, percent, text] { emit progress(percent, text); }, Qt::QueuedConnection);
      if (sinceSnapshot.elapsed() > snapshotEvery && !dissector.trace().connections.empty()) {
        auto snapshot = std::make_shared<const model::Trace>(dissector.trace());
        QMetaObject::invokeMethod(this, [this, snapshot] { emit partial(snapshot); }, Qt::QueuedConnection);
        sinceSnapshot.restart();
        snapshotEvery = std::min<qint64>(snapshotEvery * 2, 5000);  // copies grow with the trace: fewer of them
      }
      return !cancelled->load();
    };
    auto summary = capture::readCapture(request.capture.toStdString(), dissector, {}, onProgress);
    if (!summary) return fail(qs(summary.error().message()));
    if (cancelled->load()) return fail(QObject::tr("Loading was cancelled."));
    model::Trace trace = dissector.finish();
    if (!summary.value().complete) {
      notes << QObject::tr("the file stops early: %1").arg(qs(summary.value().stopReason));
      trace.diagnostics.push_back({model::Severity::Error, "capture", std::nullopt,
                                   "the capture stops early: " + summary.value().stopReason,
                                   model::DiagnosticCode::CaptureFile});
    }
    if (!options.keepPayloads) notes << QObject::tr("large file: a connection's application data loads when you open it");
    auto shared = std::make_shared<model::Trace>(std::move(trace));
    const QString note = notes.join(QStringLiteral("; "));
    QMetaObject::invokeMethod(this, [this, request, shared, note] {
      running_ = false;
      emit loaded(request, shared, note);
    }, Qt::QueuedConnection);
  });
}

// ---------------------------------------------------------------- payloads

ConnectionPayloadLoader::ConnectionPayloadLoader(QObject* parent) : QObject(parent) {}

ConnectionPayloadLoader::~ConnectionPayloadLoader() { joinWorker(thread_); }

void ConnectionPayloadLoader::start(const OpenRequest& request, const model::TraceConnection& opened, int connection) {
  if (isRunning() || connection < 0) return;
  running_ = true;
  auto hint = std::make_shared<const model::TraceConnection>(opened);
  spawnWorker(this, thread_, [this, request, hint, connection] {
    auto post = [this](auto call) {
      QMetaObject::invokeMethod(this, [this, call] {
        running_ = false;
        call();
      }, Qt::QueuedConnection);
    };
    keys::KeyStore keys;
    QStringList notes;
    if (QString error = loadKeys(request, keys, notes); !error.isEmpty())
      return post([this, connection, error] { emit failed(connection, error); });
    auto conn = dissect::dissectConnection(request.capture.toStdString(), keys, *hint);
    if (!conn.ok()) {
      const QString error = qs(conn.error().message());
      return post([this, connection, error] { emit failed(connection, error); });
    }
    auto reread = std::make_shared<model::TraceConnection>(std::move(conn.value()));
    post([this, reread, connection] { emit loaded(reread, connection); });
  });
}

// ---------------------------------------------------------------- live

struct LiveCaptureController::Shared {
  std::mutex mutex;
  scenarios::LiveCaptureSession* session = nullptr;
  bool stopRequested = false;
};

LiveCaptureController::LiveCaptureController(QObject* parent) : QObject(parent), shared_(std::make_shared<Shared>()) {}

LiveCaptureController::~LiveCaptureController() {
  stop();
  joinWorker(thread_);
}

void LiveCaptureController::stop() {
  std::lock_guard lock(shared_->mutex);
  shared_->stopRequested = true;
  if (shared_->session != nullptr) shared_->session->stop();  // documented as safe from any thread
}

void LiveCaptureController::start(const LiveRequest& request) {
  if (isRunning()) return;
  shared_ = std::make_shared<Shared>();
  running_ = true;
  spawnWorker(this, thread_, [this, request, shared = shared_] {
    auto fail = [this](const QString& message) {
      QMetaObject::invokeMethod(this, [this, message] {
        running_ = false;
        emit failed(message);
      }, Qt::QueuedConnection);
    };
    capture::LiveOptions options;
    options.interface = request.device.toStdString();
    options.filter = request.filter.toStdString();
    // The trace so far, about twice a second (a copy each time: the window
    // never reads the worker's trace).
    auto lastPost = std::chrono::steady_clock::now();
    auto post = [this](bool final, std::uint64_t packets, model::Trace trace, const QString& extra) {
      auto traced = std::make_shared<const model::Trace>(std::move(trace));
      const QString status =
          QObject::tr("%1 packets, %2 connections%3").arg(packets).arg(traced->connections.size()).arg(extra);
      QMetaObject::invokeMethod(this, [this, traced, status, final] {
        if (final) {
          running_ = false;
          emit stopped(traced, status);
        }
        else emit snapshot(traced, status);
      }, Qt::QueuedConnection);
    };
    scenarios::LiveCaptureHooks hooks;
    hooks.onPacket = [&](const capture::RawPacket&, const scenarios::LiveCaptureSession& session) {
      if (std::chrono::steady_clock::now() - lastPost > std::chrono::milliseconds(500)) {
        lastPost = std::chrono::steady_clock::now();
        post(false, session.packets(), session.trace(), {});
      }
    };
    auto opened = scenarios::LiveCaptureSession::open(options, std::move(hooks));
    if (!opened) return fail(qs(opened.error().message()));
    scenarios::LiveCaptureSession& session = *opened.value();
    {
      std::lock_guard lock(shared->mutex);
      if (shared->stopRequested) return;
      shared->session = &session;
    }
    // Key log lines arrive after their records: the session holds those
    // connections and opens them when the log grows (the next snapshot shows them).
    if (!request.keyLog.isEmpty()) session.follow(request.keyLog.toStdString(), false);
    auto stats = session.run();
    {
      std::lock_guard lock(shared->mutex);
      shared->session = nullptr;
    }
    QString extra = stats ? QObject::tr(", %1 dropped by the kernel").arg(stats->droppedByKernel)
                          : QObject::tr(" (capture error: %1)").arg(qs(stats.error().message()));
    if (stats) {
      // The GUI has no buffer setting: a narrower filter, or the CLI's --buffer-size.
      const char* remedy = "capture with a narrower BPF filter, or from the command line with a bigger buffer "
                           "(tlslab capture --buffer-size MiB -w FILE) and open the file";
      if (auto warning = capture::dropWarning(stats.value(), remedy); !warning.empty())
        extra += QStringLiteral(". ") + qs(warning);
    }
    const std::uint64_t packets = session.packets();
    post(true, packets, session.finish(), extra);
  });
}

// ---------------------------------------------------------------- labs

LabController::LabController(QObject* parent) : QObject(parent) {}

LabController::~LabController() { joinWorker(thread_); }

void LabController::start(const LabRequest& request) {
  if (isRunning()) return;
  running_ = true;
  emit started(request.title());
  spawnWorker(this, thread_, [this, request] {
    // Endpoints call the observer from their own threads; the first event
    // fixes time zero for the log.
    struct Clock {
      std::mutex mutex;
      endpoints::TimeUs start = 0;
      std::chrono::steady_clock::time_point lastPreview{};
    };
    auto clock = std::make_shared<Clock>();
    auto feed = std::make_shared<LiveRunFeed>(request.kind);
    endpoints::Observer observer = [this, clock, feed](endpoints::Role role, const endpoints::Event& event) {
      endpoints::TimeUs zero;
      {
        std::lock_guard lock(clock->mutex);
        if (clock->start == 0) clock->start = eventTime(event);
        zero = clock->start;
      }
      QString line = gui::eventLine(role, event, zero);
      if (!line.isEmpty())
        QMetaObject::invokeMethod(this, [this, line] { emit eventLine(line); }, Qt::QueuedConnection);
      if (!feed->onEvent(role, event)) return;
      {
        // At most ~25 previews a second: each is a copy of the trace so far.
        std::lock_guard lock(clock->mutex);
        const auto now = std::chrono::steady_clock::now();
        if (now - clock->lastPreview < std::chrono::milliseconds(40)) return;
        clock->lastPreview = now;
      }
      auto snapshot = std::make_shared<const model::Trace>(feed->snapshot());
      QMetaObject::invokeMethod(this, [this, snapshot] { emit preview(snapshot); }, Qt::QueuedConnection);
    };
    LabResult result = runLab(request, observer);
    auto trace = std::make_shared<const model::Trace>(std::move(result.trace));
    auto pcapng = std::make_shared<std::string>(std::move(result.pcapng));
    QMetaObject::invokeMethod(
        this,
        [this, trace, pcapng, verdict = result.verdict, error = result.error] {
          pcapng_ = std::move(*pcapng);
          running_ = false;
          emit finished(trace, verdict, error);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace tlslab::gui
