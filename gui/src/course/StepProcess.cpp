#include "course/StepProcess.hpp"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace tlslab::gui {

namespace {
constexpr int kGraceMs = 2000;  // after SIGTERM, before SIGKILL
}

StepProcess::StepProcess(QObject* parent)
    : QObject(parent), toolsDir_(QCoreApplication::applicationDirPath()), deadline_(new QTimer(this)) {
  deadline_->setSingleShot(true);
  connect(deadline_, &QTimer::timeout, this, [this] {
    timedOut_ = true;
    stop();
  });
}

StepProcess::~StepProcess() {
  if (!isRunning()) return;
  QObject::disconnect(process_, nullptr, this, nullptr);
  signalGroup(SIGKILL);
  process_->waitForFinished(kGraceMs);
}

bool StepProcess::isRunning() const { return process_ != nullptr && process_->state() != QProcess::NotRunning; }

void StepProcess::start(const QString& script, const QString& workingDir, int timeoutSeconds, int expectedExit) {
  if (isRunning()) return;
  if (process_ != nullptr) process_->deleteLater();
  process_ = new QProcess(this);
  timedOut_ = stopped_ = false;
  group_ = 0;
  timeoutSeconds_ = timeoutSeconds;
  expectedExit_ = expectedExit;
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setStandardInputFile(QProcess::nullDevice());  // a command that reads stdin sees its end, not a hang
  decoder_.resetState();
  process_->setWorkingDirectory(workingDir);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("PATH"), toolsDir_ + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
  // The shell writes the folder it ends in to a file of ours when it exits, however it exits.
  finalDir_ = workingDir;
  const QString stateFile = stateDir_.filePath(QStringLiteral("final-dir"));
  QFile::remove(stateFile);
  env.insert(QStringLiteral("TLSLAB_STEP_STATE"), stateFile);
  process_->setProcessEnvironment(env);
  // Its own process group, so Stop reaches what the block started in the background.
  process_->setChildProcessModifier([] { ::setpgid(0, 0); });
  process_->setProgram(QStringLiteral("/bin/sh"));
  process_->setArguments({QStringLiteral("-c"), QStringLiteral("trap 'pwd > \"$TLSLAB_STEP_STATE\"' EXIT\n") + script});
  connect(process_, &QProcess::readyRead, this, [this, p = process_] { emit output(decoder_(p->readAll())); });
  connect(process_, &QProcess::started, this, [this, p = process_] { group_ = p->processId(); });
  connect(process_, &QProcess::finished, this, [this, p = process_](int code, QProcess::ExitStatus status) {
    if (p != process_) return;
    emit output(decoder_(p->readAll()));
    done(code, status == QProcess::CrashExit);
  });
  connect(process_, &QProcess::errorOccurred, this, [this, p = process_](QProcess::ProcessError error) {
    if (p != process_ || error != QProcess::FailedToStart) return;
    deadline_->stop();
    emit finished(false, tr("could not start /bin/sh: %1").arg(p->errorString()));
  });
  deadline_->start(timeoutSeconds * 1000);
  process_->start();
}

void StepProcess::signalGroup(int signal) {
  if (group_ > 0) ::kill(-static_cast<pid_t>(group_), signal);
}

void StepProcess::stop() {
  if (!isRunning()) return;
  stopped_ = !timedOut_;
  signalGroup(SIGTERM);
  QTimer::singleShot(kGraceMs, process_, [this, p = process_] {
    if (p == process_ && isRunning()) signalGroup(SIGKILL);
  });
}

void StepProcess::done(int exitCode, bool crashed) {
  deadline_->stop();
  signalGroup(SIGKILL);  // anything the block left running in the background
  group_ = 0;
  QFile state(stateDir_.filePath(QStringLiteral("final-dir")));
  if (state.open(QIODevice::ReadOnly)) {
    const QString dir = QString::fromLocal8Bit(state.readAll()).trimmed();
    if (QFileInfo(dir).isDir()) finalDir_ = dir;
  }
  state.remove();
  if (timedOut_) return emit finished(false, tr("was still running after %1 s and was stopped").arg(timeoutSeconds_));
  if (stopped_) return emit finished(false, tr("stopped"));
  if (crashed) return emit finished(false, tr("ended by a signal"));
  if (exitCode == expectedExit_)
    return emit finished(true, exitCode == 0 ? tr("done") : tr("exited with status %1, as the tutorial expects").arg(exitCode));
  emit finished(false, tr("exited with status %1").arg(exitCode));
}

}  // namespace tlslab::gui
