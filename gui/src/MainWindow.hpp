#pragma once
// The top-level window: connections (top dock), ladder and detail tabs
// (centre), run log (bottom dock), menus, status bar. It wires sources
// (captures, labs, live capture) into one TraceDocument that every view follows.
#include <QMainWindow>
#include <QStringList>

#include <optional>
#include <set>

#include "LabRunner.hpp"
#include "Workers.hpp"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QPlainTextEdit;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace tlslab::gui {

class ConnectionsPane;
class CoursePanel;
class KeyDerivationPane;
class LadderPane;
class TraceDocument;
namespace views {
class AppDataView;
class CertificatesView;
class MessageDetailView;
class RecordCryptoView;
class TutorialView;
}  // namespace views

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  QMenu* fileMenu() const { return fileMenu_; }
  QMenu* captureMenu() const { return captureMenu_; }
  QMenu* labsMenu() const { return labsMenu_; }
  QMenu* viewMenu() const { return viewMenu_; }
  QMenu* helpMenu() const { return helpMenu_; }

  TraceDocument* document() const { return document_; }
  ConnectionsPane* connectionsPane() const { return connections_; }
  LadderPane* ladderPane() const { return ladder_; }
  QTabWidget* detailTabs() const { return details_; }
  views::MessageDetailView* messageView() const { return message_; }
  KeyDerivationPane* keyDerivationPane() const { return keyPane_; }
  QPlainTextEdit* runLog() const { return log_; }
  CoursePanel* coursePanel() const { return course_; }
  QDockWidget* courseDock() const { return courseDock_; }
  // The last error dialog shown (non-modal, so tests and the GUI never block).
  QMessageBox* lastError() const { return lastError_; }
  bool isBusy() const;
  // Files of this size or more open without application data; a connection's
  // data loads when it is selected (default kKeepPayloadsBelow; tests lower it).
  void setKeepPayloadsBelow(qint64 bytes) { keepPayloadsBelow_ = bytes; }

 public slots:
  // Opens a capture on a worker thread, with the keys remembered for it
  // unless `request` names some.
  void openCapture(const tlslab::gui::OpenRequest& request);
  void openCaptureFile(const QString& path);
  void runLab(const tlslab::gui::LabRequest& request);
  void showTrace(tlslab::gui::TracePtr trace);
  void showSnapshot(tlslab::gui::TracePtr trace);
  // A tutorial's command link ("tlslab lab run mitm --victim correct"): labs
  // run here, anything else is shown as a command for a terminal.
  void runTutorialCommand(const QString& arguments);
  // Brings the detail tab with this title forward; false when there is none.
  bool showDetailTab(const QString& title);
  // Shows the Course panel (View → Course), on lab `lab`'s page when it is > 0.
  void showCourse(int lab = 0);
  void startLiveCapture(const tlslab::gui::LiveRequest& request);
  void stopLiveCapture();

 signals:
  // A capture or lab finished loading (ok) or failed (!ok), for scripts and tests.
  void loadFinished(bool ok);
  // A large file's connection got its application data (or could not: !ok).
  void connectionPayloadsLoaded(int connection, bool ok);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void buildLayout();
  void buildStatusBar();
  void connectWorkers();
  void showError(const QString& title, const QString& text, const QString& hint);
  void setBusy(const QString& what);
  void setIdle(const QString& message);
  void updateDetails();
  void focusLesson();
  void updateActions();
  void updateRecentMenu();
  void loadPayloadsOf(int connection);
  void newTraceSource();
  void addRecent(const QString& path);

  void chooseCapture();
  void chooseLab(tlslab::gui::LabKind kind);
  void chooseLiveCapture();
  void saveRunPcapng();
  void exportJson();
  void exportStream();
  void showAbout();

  TraceDocument* document_;
  CaptureLoader* loader_;
  LabController* labs_;
  LiveCaptureController* live_;
  ConnectionPayloadLoader* payloads_;
  // Lazy payloads of a large file: how to read it again, which connections
  // were loaded (or tried), the one asked for last, and which trace the
  // results belong to (a newer file, lab or live capture makes them stale).
  qint64 keepPayloadsBelow_ = kKeepPayloadsBelow;
  std::optional<OpenRequest> lazyPayloadsFrom_;
  OwnedTracePtr lazyTrace_;  // the large file's trace: connections gain their payloads in place
  std::set<int> payloadsLoaded_;
  int payloadsWanted_ = -1;
  int traceGeneration_ = 0;
  int payloadGeneration_ = -1;

  ConnectionsPane* connections_ = nullptr;
  LadderPane* ladder_ = nullptr;
  QTabWidget* details_ = nullptr;
  views::MessageDetailView* message_ = nullptr;
  views::RecordCryptoView* recordCrypto_ = nullptr;
  KeyDerivationPane* keyPane_ = nullptr;
  views::CertificatesView* certificates_ = nullptr;
  views::AppDataView* appData_ = nullptr;
  views::TutorialView* tutorial_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
  CoursePanel* course_ = nullptr;
  QDockWidget* courseDock_ = nullptr;
  QDockWidget* connectionsDock_ = nullptr;
  QDockWidget* logDock_ = nullptr;

  QLabel* counts_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QToolButton* cancel_ = nullptr;
  QMessageBox* lastError_ = nullptr;

  QMenu* fileMenu_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* captureMenu_ = nullptr;
  QMenu* labsMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QMenu* helpMenu_ = nullptr;
  QAction* saveRun_ = nullptr;
  QAction* reopenWithKeys_ = nullptr;
  QAction* exportJson_ = nullptr;
  QAction* exportStream_ = nullptr;
  QAction* startLive_ = nullptr;
  QAction* stopLive_ = nullptr;
  QAction* runLab_ = nullptr;

  // Which connection the connection-level tabs show (they rebuild only on change).
  const model::Trace* shownTrace_ = nullptr;
  int shownConnection_ = -1;
  QString currentFile_;  // the capture shown, for the title and "save"
};

}  // namespace tlslab::gui
