#pragma once
// The dialogs that start something: open a capture (with optional keys),
// run a lab (its options as form controls), capture live.
#include <QDialog>

#include "LabRunner.hpp"
#include "Workers.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QStackedWidget;

namespace tlslab::gui {

// Capture file plus the optional key log and RSA key; the keys are
// remembered per capture (QSettings), so reopening needs no typing.
class OpenCaptureDialog : public QDialog {
  Q_OBJECT
 public:
  explicit OpenCaptureDialog(const QString& capture, QWidget* parent = nullptr);
  OpenRequest request() const;
  // The keys last used with this capture (empty when none).
  static OpenRequest remembered(const QString& capture);
  static void remember(const OpenRequest& request);

 private:
  void captureChanged();
  QLineEdit* capture_;
  QLineEdit* keyLog_;
  QLineEdit* rsaKey_;
  QLineEdit* password_;
  QLineEdit* psk_;
  QLineEdit* pskIdentity_;
};

class LabDialog : public QDialog {
  Q_OBJECT
 public:
  explicit LabDialog(LabKind initial = LabKind::Mitm, QWidget* parent = nullptr);
  LabRequest request() const;
  QListWidget* labList() const { return labs_; }

 private:
  void labChanged(int row);
  QListWidget* labs_;
  QLabel* summary_;
  QStackedWidget* options_;
  QComboBox* tls_;
  QComboBox* entry_;
  QComboBox* strategy_;
  QComboBox* victim_;
  QComboBox* attack_;
  QLabel* expectation_;
};

class LiveCaptureDialog : public QDialog {
  Q_OBJECT
 public:
  explicit LiveCaptureDialog(QWidget* parent = nullptr);
  LiveRequest request() const;

 private:
  QComboBox* devices_;
  QLineEdit* filter_;
  QLineEdit* keyLog_;
  QLabel* status_;
};

}  // namespace tlslab::gui
