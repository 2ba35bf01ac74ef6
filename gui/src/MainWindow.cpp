#include "MainWindow.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QToolButton>

#include <QLineEdit>

#include "ConnectionsPane.hpp"
#include "course/CoursePanel.hpp"
#include "Dialogs.hpp"
#include "KeyDerivationPane.hpp"
#include "LadderPane.hpp"
#include "LadderView.hpp"
#include "SaveCapture.hpp"
#include "TraceDocument.hpp"
#include "tlslab/model/TraceJson.hpp"
#include "tlslab/util/Paths.hpp"
#include "views/AppDataView.hpp"
#include "views/CertificatesView.hpp"
#include "views/MessageDetailView.hpp"
#include "views/RecordCryptoView.hpp"
#include "views/TutorialView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui {

namespace {
constexpr int kMaxRecent = 10;
QString qs(const std::string& s) { return QString::fromStdString(s); }
QString qs(const model::Text& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString tutorialFor(LabKind kind) {
  for (const auto& lab : labCatalog())
    if (lab.kind == kind) return lab.tutorial.chopped(3);  // "mitm.md" -> "mitm"
  return QStringLiteral("08-handshake-anatomy");
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(new TraceDocument(this)), loader_(new CaptureLoader(this)),
      labs_(new LabController(this)), live_(new LiveCaptureController(this)),
      payloads_(new ConnectionPayloadLoader(this)) {
  setWindowTitle(tr("tlslab"));
  // Large enough for ladder and details side by side, within the screen.
  const QSize screen = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableSize() : QSize(1600, 1000);
  resize(std::min(1680, screen.width() * 9 / 10), std::min(1000, screen.height() * 9 / 10));
  setAcceptDrops(true);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
  buildLayout();
  buildMenus();
  buildStatusBar();
  connectWorkers();
  connect(document_, &TraceDocument::traceChanged, this, &MainWindow::updateActions);
  connect(document_, &TraceDocument::selectionChanged, this, &MainWindow::updateDetails);
  updateActions();
  setIdle(tr("Open a capture (Ctrl+O), drop one here, or run a lab (Ctrl+R)."));
}

MainWindow::~MainWindow() = default;

bool MainWindow::isBusy() const { return loader_->isRunning() || labs_->isRunning() || live_->isRunning(); }

// ---------------------------------------------------------------- layout

void MainWindow::buildLayout() {
  connections_ = new ConnectionsPane(document_, this);
  connectionsDock_ = new QDockWidget(tr("Connections"), this);
  connectionsDock_->setObjectName(QStringLiteral("connections"));
  connectionsDock_->setWidget(connections_);
  addDockWidget(Qt::TopDockWidgetArea, connectionsDock_);

  ladder_ = new LadderPane(document_, this);
  details_ = new QTabWidget(this);
  details_->setDocumentMode(true);
  message_ = new views::MessageDetailView(details_);
  recordCrypto_ = new views::RecordCryptoView(details_);
  keyPane_ = new KeyDerivationPane(document_, details_);
  certificates_ = new views::CertificatesView(details_);
  appData_ = new views::AppDataView(details_);
  tutorial_ = new views::TutorialView(details_);
  connect(appData_, &views::AppDataView::recordSelected, this,
          [this](std::size_t record) { document_->selectRecord(document_->connection(), static_cast<int>(record)); });
  connect(tutorial_, &views::TutorialView::runRequested, this, &MainWindow::runTutorialCommand);
  // The field under study, in words, where the eye does not have to hunt for it.
  connect(message_, &views::MessageDetailView::fieldSelected, this, [this](const model::Field* field) {
    if (field == nullptr || field->meaning.empty()) return;
    statusBar()->showMessage(QStringLiteral("%1: %2%3").arg(qs(field->name), qs(field->meaning),
                                                            field->rfc.empty() ? QString() : QStringLiteral(" (%1)").arg(qs(field->rfc))));
  });
  details_->addTab(message_, tr("Message"));
  details_->addTab(recordCrypto_, tr("Record crypto"));
  details_->addTab(keyPane_, tr("Key derivation"));
  details_->addTab(certificates_, tr("Certificates"));
  details_->addTab(appData_, tr("Application data"));
  details_->addTab(tutorial_, tr("Tutorial"));

  // An explicit minimum lets the splitter shrink the tabs below their
  // (wide) size hints, so the ladder gets the larger share.
  details_->setMinimumWidth(360);
  ladder_->setMinimumWidth(420);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(ladder_);
  split->addWidget(details_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({880, 560});  // the ladder is the main view: give it the larger share
  split->setChildrenCollapsible(false);
  setCentralWidget(split);
  // The key schedule picture is wide: when its tab comes forward, it gets
  // the room it needs, as far as the ladder can give it.
  connect(details_, &QTabWidget::currentChanged, this, [this, split] {
    if (details_->currentWidget() != keyPane_ || !keyPane_->showingPicture()) return;
    QList<int> sizes = split->sizes();
    if (sizes.size() != 2) return;
    const int want = keyPane_->preferredWidth(), total = sizes[0] + sizes[1];
    if (want <= sizes[1]) return;
    sizes[1] = std::min(want, total - ladder_->minimumWidth());
    sizes[0] = total - sizes[1];
    split->setSizes(sizes);
  });

  log_ = new QPlainTextEdit(this);
  log_->setReadOnly(true);
  log_->setFont(views::monospaceFont());
  log_->setMaximumBlockCount(20000);
  log_->setPlaceholderText(tr("Lab runs stream every endpoint event here as it happens."));
  logDock_ = new QDockWidget(tr("Run log"), this);
  logDock_->setObjectName(QStringLiteral("runlog"));
  logDock_->setWidget(log_);
  addDockWidget(Qt::BottomDockWidgetArea, logDock_);
  resizeDocks({connectionsDock_, logDock_}, {130, 140}, Qt::Vertical);

  // The course sits beside the ladder: its steps run labs and open captures there.
  course_ = new CoursePanel(this);
  courseDock_ = new QDockWidget(tr("Course"), this);
  courseDock_->setObjectName(QStringLiteral("course"));
  courseDock_->setWidget(course_);
  addDockWidget(Qt::LeftDockWidgetArea, courseDock_);
  resizeDocks({courseDock_}, {560}, Qt::Horizontal);
  courseDock_->hide();
  connect(course_, &CoursePanel::labRunRequested, this, &MainWindow::runTutorialCommand);
  connect(course_, &CoursePanel::captureOpenRequested, this, &MainWindow::openCapture);
}

void MainWindow::showCourse(int lab) {
  courseDock_->show();
  courseDock_->raise();
  if (lab > 0 && !course_->showLab(lab)) statusBar()->showMessage(tr("The course has no lab %1").arg(lab));
}

void MainWindow::buildStatusBar() {
  counts_ = new QLabel(this);
  progress_ = new QProgressBar(this);
  progress_->setMaximumWidth(220);
  progress_->setTextVisible(true);
  progress_->hide();
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  cancel_->hide();
  connect(cancel_, &QToolButton::clicked, this, [this] {
    loader_->cancel();
    live_->stop();
  });
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  statusBar()->addPermanentWidget(counts_);
}

void MainWindow::buildMenus() {
  fileMenu_ = menuBar()->addMenu(tr("&File"));
  fileMenu_->addAction(tr("&Open Capture…"), QKeySequence::Open, this, &MainWindow::chooseCapture);
  reopenWithKeys_ = fileMenu_->addAction(tr("Reopen with &Key Log…"), QKeySequence(tr("Ctrl+K")), this, [this] {
    OpenCaptureDialog dialog(currentFile_, this);
    if (dialog.exec() == QDialog::Accepted) openCapture(dialog.request());
  });
  reopenWithKeys_->setToolTip(tr("Open the current capture again with a key log or the server's RSA key"));
  recentMenu_ = fileMenu_->addMenu(tr("Open &Recent"));
  fileMenu_->addSeparator();
  saveRun_ = fileMenu_->addAction(tr("&Save as pcapng with Keys…"), QKeySequence::Save, this, &MainWindow::saveRunPcapng);
  saveRun_->setToolTip(tr("The trace as pcapng with its key log embedded: opens decrypted in Wireshark and tlslab"));
  exportStream_ = fileMenu_->addAction(tr("Export Decrypted &Stream…"), this, &MainWindow::exportStream);
  exportJson_ = fileMenu_->addAction(tr("Export &JSON…"), this, &MainWindow::exportJson);
  fileMenu_->addSeparator();
  QAction* quit = fileMenu_->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);
  updateRecentMenu();

  captureMenu_ = menuBar()->addMenu(tr("&Capture"));
  startLive_ = captureMenu_->addAction(tr("&Start Live Capture…"), QKeySequence(tr("Ctrl+E")), this,
                                       &MainWindow::chooseLiveCapture);
  stopLive_ = captureMenu_->addAction(tr("S&top Capture"), QKeySequence(tr("Ctrl+Shift+E")), this,
                                      &MainWindow::stopLiveCapture);

  labsMenu_ = menuBar()->addMenu(tr("&Labs"));
  runLab_ = labsMenu_->addAction(tr("&Run Lab…"), QKeySequence(tr("Ctrl+R")), this, [this] { chooseLab(LabKind::Mitm); });
  labsMenu_->addAction(tr("&Man-in-the-Middle Lab"), this, [this] { chooseLab(LabKind::Mitm); });
  labsMenu_->addAction(tr("&Bad Certificate Gallery"), this, [this] { chooseLab(LabKind::Gallery); });
  labsMenu_->addAction(tr("TLS 1.3 &Handshake"), QKeySequence(tr("Ctrl+1")), this, [this] {
    LabRequest r;
    r.kind = LabKind::Handshake;
    r.tls = "1.3";
    runLab(r);
  });
  labsMenu_->addAction(tr("TLS 1.2 H&andshake"), QKeySequence(tr("Ctrl+2")), this, [this] {
    LabRequest r;
    r.kind = LabKind::Handshake;
    r.tls = "1.2";
    runLab(r);
  });

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  viewMenu_->addAction(tr("&Filter Connections"), QKeySequence::Find, this, [this] {
    connectionsDock_->show();
    connections_->filterEdit()->setFocus(Qt::ShortcutFocusReason);
    connections_->filterEdit()->selectAll();
  });
  // Ctrl+K is File → Reopen with Key Log; L for "learn".
  viewMenu_->addAction(tr("&Course"), QKeySequence(tr("Ctrl+L")), this, [this] { showCourse(); });
  viewMenu_->addAction(connectionsDock_->toggleViewAction());
  viewMenu_->addAction(logDock_->toggleViewAction());
  viewMenu_->addSeparator();
  const char* tabNames[] = {"&Message Detail", "Record &Crypto", "&Key Derivation", "Certi&ficates", "&Application Data"};
  for (int i = 0; i < 5; ++i) {
    QAction* a = viewMenu_->addAction(tr(tabNames[i]), this, [this, i] { details_->setCurrentIndex(i); });
    a->setShortcut(QKeySequence(QStringLiteral("Alt+%1").arg(i + 1)));
  }
  viewMenu_->addSeparator();
  QAction* linear = viewMenu_->addAction(tr("&Linear Time Axis"));
  linear->setCheckable(true);
  linear->setShortcut(QKeySequence(tr("Ctrl+T")));
  connect(linear, &QAction::toggled, ladder_->linearButton(), &QToolButton::setChecked);
  connect(ladder_->linearButton(), &QToolButton::toggled, linear, &QAction::setChecked);
  viewMenu_->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, ladder_->view(), &LadderView::zoomIn);
  viewMenu_->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, ladder_->view(), &LadderView::zoomOut);

  helpMenu_ = menuBar()->addMenu(tr("&Help"));
  helpMenu_->addAction(tr("&Tutorials"), QKeySequence::HelpContents, this,
                       [this] { details_->setCurrentWidget(tutorial_); });
  helpMenu_->addAction(tr("&About tlslab"), this, &MainWindow::showAbout);
}

// ---------------------------------------------------------------- workers

// Results of lazy loads for an earlier trace must not land in this one.
void MainWindow::newTraceSource() {
  ++traceGeneration_;
  lazyPayloadsFrom_.reset();
  lazyTrace_.reset();
  payloadsLoaded_.clear();
  payloadsWanted_ = -1;
}

void MainWindow::loadPayloadsOf(int connection) {
  if (!lazyPayloadsFrom_ || !lazyTrace_ || connection < 0 || payloadsLoaded_.count(connection) ||
      connection >= static_cast<int>(lazyTrace_->connections.size()))
    return;
  payloadsWanted_ = connection;
  if (payloads_->isRunning()) return;  // the newest wish starts when this one is done
  payloadGeneration_ = traceGeneration_;
  statusBar()->showMessage(tr("Loading the application data of connection %1…").arg(connection));
  payloads_->start(*lazyPayloadsFrom_, lazyTrace_->connections[static_cast<std::size_t>(connection)], connection);
}

void MainWindow::connectWorkers() {
  connect(document_, &TraceDocument::connectionSelected, this, &MainWindow::loadPayloadsOf);
  connect(payloads_, &ConnectionPayloadLoader::loaded, this, [this](ConnectionPtr loaded, int connection) {
    if (payloadGeneration_ != traceGeneration_ || !lazyTrace_) return loadPayloadsOf(payloadsWanted_);
    payloadsLoaded_.insert(connection);
    const int message = document_->message();
    const bool here = document_->connection() == connection;
    // In place: the views let go of the trace first (they may point into
    // the connection being replaced), then get it back changed.
    const int selectedConnection = document_->connection(), selectedRecord = document_->record();
    document_->setTrace(nullptr);
    lazyTrace_->connections[static_cast<std::size_t>(connection)] = std::move(*loaded);
    document_->setTrace(lazyTrace_);
    if (selectedRecord >= 0) document_->selectRecord(selectedConnection, selectedRecord);
    else if (selectedConnection >= 0) document_->selectConnection(selectedConnection);
    if (here && message >= 0 && document_->message() != message) document_->selectMessage(connection, message);
    statusBar()->showMessage(tr("Loaded the application data of connection %1").arg(connection), 5000);
    emit connectionPayloadsLoaded(connection, true);
    loadPayloadsOf(payloadsWanted_);
  });
  connect(payloads_, &ConnectionPayloadLoader::failed, this, [this](int connection, const QString& message) {
    if (payloadGeneration_ != traceGeneration_) return loadPayloadsOf(payloadsWanted_);
    payloadsLoaded_.insert(connection);  // tried: do not try again on every click
    showError(tr("Cannot load application data"), message,
              tr("The file may have changed since it was opened: open it again (File → Open)."));
    emit connectionPayloadsLoaded(connection, false);
    loadPayloadsOf(payloadsWanted_);
  });
  connect(loader_, &CaptureLoader::progress, this, [this](int percent, const QString& text) {
    progress_->setRange(0, percent < 0 ? 0 : 100);
    if (percent >= 0) progress_->setValue(percent);
    statusBar()->showMessage(tr("Reading… %1").arg(text));
  });
  connect(loader_, &CaptureLoader::partial, this, &MainWindow::showSnapshot);
  connect(loader_, &CaptureLoader::loaded, this, [this](const OpenRequest& request, OwnedTracePtr trace, const QString& notes) {
    currentFile_ = request.capture;
    if (QFileInfo(request.capture).size() >= keepPayloadsBelow_) {
      lazyPayloadsFrom_ = request;
      lazyTrace_ = trace;
    }
    OpenCaptureDialog::remember(request);
    addRecent(request.capture);
    showTrace(std::move(trace));
    setIdle(notes.isEmpty() ? tr("Opened %1").arg(QFileInfo(request.capture).fileName())
                            : tr("Opened %1 (%2)").arg(QFileInfo(request.capture).fileName(), notes));
    emit loadFinished(true);
  });
  connect(loader_, &CaptureLoader::failed, this, [this](const OpenRequest& request, const QString& message) {
    setIdle(tr("Could not open %1").arg(QFileInfo(request.capture).fileName()));
    showError(tr("Cannot open capture"), message,
              tr("tlslab reads pcap and pcapng files (gzip-compressed too). Check that the file is a complete "
                 "capture, e.g. with `tlslab dissect FILE`, or capture again."));
    emit loadFinished(false);
  });

  connect(labs_, &LabController::started, this, [this](const QString& title) {
    log_->clear();
    log_->appendPlainText(tr("▶ %1").arg(title));
    logDock_->show();
    setBusy(tr("Running %1…").arg(title));
  });
  connect(labs_, &LabController::eventLine, log_, &QPlainTextEdit::appendPlainText);
  connect(labs_, &LabController::preview, this, [this](TracePtr trace) {
    if (labs_->isRunning()) showSnapshot(std::move(trace));  // a late preview must not replace the result
  });
  connect(labs_, &LabController::finished, this, [this](TracePtr trace, const QString& verdict, const QString& error) {
    if (!error.isEmpty()) {
      log_->appendPlainText(tr("✗ the lab could not run: %1").arg(error));
      setIdle(tr("Lab failed"));
      showError(tr("Lab failed"), error, tr("Labs bind loopback addresses (127.0.0.1, 127.0.0.66); check that nothing else holds them."));
      emit loadFinished(false);
      return;
    }
    log_->appendPlainText(tr("■ %1").arg(verdict));
    currentFile_.clear();
    showTrace(std::move(trace));
    focusLesson();
    setIdle(verdict.section(QLatin1Char('\n'), 0, 0));
    emit loadFinished(true);
  });

  connect(live_, &LiveCaptureController::snapshot, this, [this](TracePtr trace, const QString& status) {
    showSnapshot(std::move(trace));
    statusBar()->showMessage(tr("Capturing… %1").arg(status));
  });
  connect(live_, &LiveCaptureController::stopped, this, [this](TracePtr trace, const QString& status) {
    showTrace(std::move(trace));
    setIdle(tr("Capture stopped: %1").arg(status));
    emit loadFinished(true);
  });
  connect(live_, &LiveCaptureController::failed, this, [this](const QString& message) {
    setIdle(tr("Live capture failed"));
    const bool permission = message.contains(QStringLiteral("permission"), Qt::CaseInsensitive) ||
                            message.contains(QStringLiteral("CAP_NET_RAW"));
    showError(tr("Cannot capture"), message,
              permission ? tr("Capturing packets needs root or the CAP_NET_RAW capability: run "
                              "`sudo setcap cap_net_raw,cap_net_admin+ep %1`, or open a saved capture instead.")
                               .arg(QApplication::applicationFilePath())
                         : tr("Check the interface name and the BPF filter syntax (as for tcpdump)."));
    emit loadFinished(false);
  });
}

void MainWindow::setBusy(const QString& what) {
  progress_->setRange(0, 0);
  progress_->show();
  cancel_->setVisible(loader_->isRunning() || live_->isRunning());
  statusBar()->showMessage(what);
  updateActions();
}

void MainWindow::setIdle(const QString& message) {
  progress_->hide();
  cancel_->hide();
  statusBar()->showMessage(message);
  updateActions();
}

void MainWindow::showError(const QString& title, const QString& text, const QString& hint) {
  // Window-modal and opened, not exec()'d: the GUI keeps running behind it.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setInformativeText(hint);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  lastError_ = box;
}

// ---------------------------------------------------------------- sources

void MainWindow::chooseCapture() {
  QSettings settings;
  const QString start = settings.value(QStringLiteral("lastDir")).toString();
  const QString file = QFileDialog::getOpenFileName(this, tr("Open Capture"), start,
                                                    tr("Captures (*.pcapng *.pcap *.cap *.gz);;All files (*)"));
  if (file.isEmpty()) return;
  settings.setValue(QStringLiteral("lastDir"), QFileInfo(file).absolutePath());
  OpenCaptureDialog dialog(file, this);
  if (dialog.exec() == QDialog::Accepted) openCapture(dialog.request());
}

void MainWindow::openCaptureFile(const QString& path) { openCapture(OpenCaptureDialog::remembered(path)); }

void MainWindow::openCapture(const OpenRequest& request) {
  if (isBusy()) return statusBar()->showMessage(tr("Busy: wait for the current job to finish, or cancel it"));
  OpenRequest r = request;
  if (r.keyLog.isEmpty() && r.rsaKey.isEmpty() && r.psk.isEmpty()) r = OpenCaptureDialog::remembered(request.capture);
  newTraceSource();
  setBusy(tr("Opening %1…").arg(QFileInfo(r.capture).fileName()));
  cancel_->show();
  loader_->start(r, keepPayloadsBelow_);
}

void MainWindow::chooseLab(LabKind kind) {
  LabDialog dialog(kind, this);
  if (dialog.exec() == QDialog::Accepted) runLab(dialog.request());
}

void MainWindow::runLab(const LabRequest& request) {
  if (isBusy()) return statusBar()->showMessage(tr("Busy: wait for the current job to finish, or cancel it"));
  newTraceSource();
  tutorial_->showTutorial(tutorialFor(request.kind));
  labs_->start(request);
}

void MainWindow::chooseLiveCapture() {
  if (isBusy()) return;
  LiveCaptureDialog dialog(this);
  if (dialog.exec() == QDialog::Accepted) startLiveCapture(dialog.request());
}

void MainWindow::startLiveCapture(const LiveRequest& request) {
  if (isBusy()) return;
  newTraceSource();
  document_->clear();
  currentFile_.clear();
  live_->start(request);
  setBusy(tr("Capturing on %1…").arg(request.device));
  cancel_->show();
}

void MainWindow::stopLiveCapture() { live_->stop(); }

bool MainWindow::showDetailTab(const QString& title) {
  for (int i = 0; i < details_->count(); ++i) {
    if (details_->tabText(i).compare(title, Qt::CaseInsensitive) != 0) continue;
    details_->setCurrentIndex(i);
    return true;
  }
  return false;
}

// A trace still growing (live capture, large file): keep what is selected.
void MainWindow::showSnapshot(TracePtr trace) {
  const int connection = document_->connection(), record = document_->record();
  document_->setTrace(std::move(trace));
  if (record >= 0) document_->selectRecord(connection, record);
  else if (connection >= 0) document_->selectConnection(connection);
}

void MainWindow::showTrace(TracePtr trace) {
  document_->setTrace(std::move(trace));
  const auto& t = document_->trace();
  // Start on the first record, so every detail tab has something to show.
  if (!t.connections.empty() && !t.connections.front().records.empty()) document_->selectRecord(0, 0);
  setWindowTitle(t.source.empty() ? tr("tlslab") : tr("%1 — tlslab").arg(qs(t.source)));
}

// ---------------------------------------------------------------- views

// After a man-in-the-middle run the lesson is twofold: the certificate the
// victim accepted (the comparison of both legs) and its login crossing the
// proxy. Select the victim's first application data record, so the ladder
// shows it relayed to the real server, and open the certificate comparison.
void MainWindow::focusLesson() {
  const auto& t = document_->trace();
  if (t.connections.size() < 2 || ladderConnections(t, 0).size() != 2) return;
  details_->setCurrentWidget(certificates_);
  const auto& victim = t.connections.front();
  for (const auto& chunk : victim.appData) {
    if (chunk.direction != model::Direction::ClientToServer) continue;
    document_->selectRecord(0, static_cast<int>(chunk.record));
    ladder_->view()->scrollToSelection();
    return;
  }
}

void MainWindow::updateDetails() {
  std::size_t records = 0;
  for (const auto& c : document_->trace().connections) records += c.records.size();
  const std::size_t connections = document_->trace().connections.size();
  counts_->setText(QStringLiteral("%1 %2 · %3 %4")
                       .arg(connections)
                       .arg(connections == 1 ? tr("connection") : tr("connections"))
                       .arg(records)
                       .arg(records == 1 ? tr("record") : tr("records")));

  if (const auto* m = document_->currentMessage()) message_->setMessage(*m);
  else if (const auto* r = document_->currentRecord()) message_->setRecord(*r);
  else message_->clear();
  if (const auto* r = document_->currentRecord()) recordCrypto_->setRecord(*r);
  else recordCrypto_->clear();

  // Connection-level views change only with the connection.
  const auto* c = document_->currentConnection();
  if (&document_->trace() == shownTrace_ && document_->connection() == shownConnection_) return;
  shownTrace_ = &document_->trace();
  shownConnection_ = document_->connection();
  if (c == nullptr) {
    certificates_->clear();
    appData_->clear();
    return;
  }
  certificates_->setConnection(*c);
  // A man in the middle: compare the leaf each side saw.
  const auto legs = ladderConnections(document_->trace(), document_->connection());
  if (legs.size() == 2) {
    const auto& front = document_->trace().connections[static_cast<std::size_t>(legs[0])];
    const auto& back = document_->trace().connections[static_cast<std::size_t>(legs[1])];
    if (!front.serverCertificates.empty() && !back.serverCertificates.empty())
      certificates_->setMitmComparison(front.serverCertificates.front(), back.serverCertificates.front(),
                                       tr("what the %1 saw").arg(qs(front.clientLabel)),
                                       tr("what the real server sent"));
  } else {
    certificates_->clearMitmComparison();
  }
  appData_->setConnection(*c);
}

void MainWindow::updateActions() {
  const bool busy = isBusy();
  const bool haveTrace = !document_->isEmpty();
  // A lab run keeps its own pcapng; a capture file is rewritten; a live capture keeps no packets.
  const bool labRun = currentFile_.isEmpty() && !labs_->pcapng().empty() && document_->trace().source.rfind("lab:", 0) == 0;
  saveRun_->setEnabled(!busy && haveTrace && (labRun || !currentFile_.isEmpty()));
  exportJson_->setEnabled(!busy && haveTrace);
  reopenWithKeys_->setEnabled(!busy && !currentFile_.isEmpty());
  const auto* c = document_->currentConnection();
  exportStream_->setEnabled(!busy && c != nullptr);
  startLive_->setEnabled(!busy);
  stopLive_->setEnabled(live_->isRunning());
  runLab_->setEnabled(!busy);
}

// ---------------------------------------------------------------- saving

void MainWindow::saveRunPcapng() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Save as pcapng with Keys"), QStringLiteral("trace.pcapng"),
                                                    tr("pcapng (*.pcapng)"));
  if (file.isEmpty()) return;
  if (currentFile_.isEmpty()) {  // a lab run: its own pcapng, keys included
    QFile out(file);
    const auto& bytes = labs_->pcapng();
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes.data(), static_cast<qint64>(bytes.size())) < 0)
      return showError(tr("Cannot save"), out.errorString(), tr("Choose a folder you can write to."));
    statusBar()->showMessage(tr("Saved %1 (keys embedded: opens decrypted in Wireshark)").arg(file));
    return;
  }
  // A capture file: its packets rewritten with the key log it was opened with, off the GUI thread.
  const OpenRequest source = OpenCaptureDialog::remembered(currentFile_);
  statusBar()->showMessage(tr("Saving %1…").arg(file));
  auto* error = new std::string;
  QThread* thread = QThread::create([source, file, error] {
    *error = saveCaptureWithKeys(source.capture.toStdString(), source.keyLog.toStdString(), file.toStdString());
  });
  connect(thread, &QThread::finished, this, [this, thread, error, file, rsa = !source.rsaKey.isEmpty()] {
    if (!error->empty()) showError(tr("Cannot save"), QString::fromStdString(*error), tr("Choose a folder you can write to."));
    else statusBar()->showMessage(rsa ? tr("Saved %1 (the key log is embedded; an RSA key cannot be, keep it alongside)").arg(file)
                                      : tr("Saved %1 (keys embedded: opens decrypted in Wireshark)").arg(file));
    delete error;
    thread->deleteLater();
  });
  thread->start();
}

void MainWindow::exportJson() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Export JSON"), QStringLiteral("trace.json"), tr("JSON (*.json)"));
  if (file.isEmpty()) return;
  const std::string json = model::toJsonText(document_->trace(), 2);  // wire bytes may not be UTF-8
  QFile out(file);
  if (!out.open(QIODevice::WriteOnly) || out.write(json.data(), static_cast<qint64>(json.size())) < 0)
    return showError(tr("Cannot export"), out.errorString(), tr("Choose a folder you can write to."));
  statusBar()->showMessage(tr("Exported %1").arg(file));
}

void MainWindow::exportStream() {
  const auto* c = document_->currentConnection();
  if (c == nullptr) return;
  if (c->appData.empty())
    return showError(tr("Nothing to export"), tr("Connection %1 carried no decrypted application data.").arg(c->index),
                     QString::fromStdString(c->decryption.text));
  const QString file = QFileDialog::getSaveFileName(this, tr("Export Decrypted Stream"),
                                                    QStringLiteral("connection-%1.bin").arg(c->index));
  if (file.isEmpty()) return;
  QFile out(file);
  if (!out.open(QIODevice::WriteOnly)) return showError(tr("Cannot export"), out.errorString(), {});
  // Both directions in the order they were sent, as raw bytes.
  for (const auto& chunk : c->appData)
    out.write(reinterpret_cast<const char*>(chunk.data.data()), static_cast<qint64>(chunk.data.size()));
  statusBar()->showMessage(tr("Exported %1").arg(file));
}

// ---------------------------------------------------------------- misc

void MainWindow::updateRecentMenu() {
  recentMenu_->clear();
  const QStringList files = QSettings().value(QStringLiteral("recentFiles")).toStringList();
  for (const QString& f : files)
    recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openCaptureFile(f); })->setToolTip(f);
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::addRecent(const QString& path) {
  QSettings settings;
  QStringList files = settings.value(QStringLiteral("recentFiles")).toStringList();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMaxRecent) files.removeLast();
  settings.setValue(QStringLiteral("recentFiles"), files);
  updateRecentMenu();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.first().isLocalFile()) openCaptureFile(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  loader_->cancel();
  live_->stop();
  QMainWindow::closeEvent(event);
}

// A tutorial's "run this" link: labs run here; other commands belong in a terminal.
void MainWindow::runTutorialCommand(const QString& arguments) {
  QStringList words = arguments.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  if (!words.isEmpty() && words.first() == QLatin1String("tlslab")) words.removeFirst();
  if (words.size() >= 3 && words[0] == QLatin1String("lab") && words[1] == QLatin1String("run")) {
    auto option = [&words](const char* name) {
      const int i = static_cast<int>(words.indexOf(QLatin1String(name)));
      return i >= 0 && i + 1 < words.size() ? words[i + 1] : QString();
    };
    LabRequest request;
    QString error;
    const LabOptionText options{option("--strategy"), option("--victim"), option("--tls"), option("--entry"), option("--attack")};
    if (parseLabRequest(words[2], options, request, error))
      return runLab(request);
    statusBar()->showMessage(error);
    return;
  }
  statusBar()->showMessage(tr("Run this in a terminal: tlslab %1").arg(words.join(QLatin1Char(' '))));
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About tlslab"),
                     tr("<b>tlslab</b> %1<p>A lab suite for learning TLS by watching real OpenSSL handshakes, "
                        "captures and attacks.</p><p>The private keys in certs/ are public teaching material.</p>")
                         .arg(QApplication::applicationVersion()));
}

}  // namespace tlslab::gui
