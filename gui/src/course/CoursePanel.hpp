#pragma once
// The Course panel (View → Course): the labs in course order with this
// student's progress, who the student is (ID, optional key file from the
// teacher) and where the workspaces live (remembered); "Start lab" makes a
// workspace on the worker; a lab opens on its own page (LabPage) beside the
// main window's ladder. Everything it shows comes from core's course framework.
#include <QWidget>

#include <filesystem>

#include "Workers.hpp"

class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace tlslab::gui {

class CourseModel;
class CourseWorker;
class LabPage;

class CoursePanel : public QWidget {
  Q_OBJECT
 public:
  explicit CoursePanel(QWidget* parent = nullptr);

  CourseModel* courseModel() const { return model_; }
  QTableView* labTable() const { return labs_; }
  QLineEdit* studentEdit() const { return student_; }
  QLineEdit* keyFileEdit() const { return keyFile_; }
  QLineEdit* rootEdit() const { return root_; }
  QPushButton* startButton() const { return start_; }
  QPushButton* openButton() const { return open_; }
  QLabel* statusLabel() const { return status_; }
  LabPage* labPage() const { return page_; }
  CourseWorker* worker() const { return worker_; }
  bool isShowingLab() const;
  // The last error dialog (non-modal, so tests and the GUI never block).
  QMessageBox* lastError() const { return lastError_; }

  // The folder holding the workspaces (remembered; default: the current folder).
  std::filesystem::path root() const;
  void setRoot(const QString& dir);
  void setTutorialsDir(const std::filesystem::path& dir);
  void setToolsDir(const QString& dir);

 public slots:
  void showOverview();
  // Opens lab `number`'s page; false when the course has no such lab.
  bool showLab(int number);
  // Makes lab `number`'s workspace for the student, then opens its page.
  void startLab(int number);
  void refresh();

 signals:
  void labRunRequested(const QString& arguments);
  void captureOpenRequested(const tlslab::gui::OpenRequest& request);

 private:
  QWidget* buildOverview();
  int selectedLab() const;
  void selectionChanged();
  void showError(const QString& title, const QString& text);
  void setBusy(bool busy, const QString& text);

  CourseModel* model_;
  CourseWorker* worker_;
  QStackedWidget* stack_;
  QTableView* labs_ = nullptr;
  QLabel* goal_ = nullptr;
  QLineEdit* student_ = nullptr;
  QLineEdit* keyFile_ = nullptr;
  QLineEdit* root_ = nullptr;
  QPushButton* start_ = nullptr;
  QPushButton* open_ = nullptr;
  QLabel* status_ = nullptr;
  QProgressBar* busy_ = nullptr;
  LabPage* page_ = nullptr;
  QMessageBox* lastError_ = nullptr;
};

}  // namespace tlslab::gui
