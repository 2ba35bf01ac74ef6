#pragma once
// A tutorial step run as the student would run it: the block's text in
// /bin/sh, in the workspace folder, with the real `tlslab` (the one next to
// tlslab-gui) first on PATH. Output streams to the console as it comes; the
// step has its tutorial's deadline, and Stop (or the deadline) ends the whole
// process group, so a `tlslab serve &` inside the block goes too. Like the
// tutorial's one shell, the folder a step ends in (its `cd`) is remembered:
// finalDir() is where the next step should start.
#include <QObject>
#include <QString>
#include <QStringDecoder>
#include <QTemporaryDir>

class QProcess;
class QTimer;

namespace tlslab::gui {

class StepProcess : public QObject {
  Q_OBJECT
 public:
  explicit StepProcess(QObject* parent = nullptr);
  ~StepProcess() override;  // stops a running step and waits for it

  // The folder holding the `tlslab` binary the steps run (default: this
  // program's own folder, where the build puts both).
  void setToolsDir(const QString& dir) { toolsDir_ = dir; }
  QString toolsDir() const { return toolsDir_; }

  bool isRunning() const;
  // `expectedExit`: the status the tutorial says the block ends with.
  void start(const QString& script, const QString& workingDir, int timeoutSeconds, int expectedExit = 0);
  void stop();
  // The folder the last step ended in (its start folder if it could not tell).
  QString finalDir() const { return finalDir_; }

 signals:
  void output(const QString& text);
  // ok: it ended with the expected status; `how` says how it ended, in words.
  void finished(bool ok, const QString& how);

 private:
  void signalGroup(int signal);
  void done(int exitCode, bool crashed);

  QString toolsDir_;
  QString finalDir_;
  QStringDecoder decoder_{QStringDecoder::Utf8};  // keeps a character split across two reads whole
  QTemporaryDir stateDir_;  // ours alone: where the shell says which folder it ended in
  QProcess* process_ = nullptr;
  QTimer* deadline_ = nullptr;
  qint64 group_ = 0;
  bool timedOut_ = false;
  bool stopped_ = false;
  int timeoutSeconds_ = 0;
  int expectedExit_ = 0;
};

}  // namespace tlslab::gui
