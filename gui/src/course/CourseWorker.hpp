#pragma once
// The Course panel's slow work, off the GUI thread (DESIGN.md "GUI shell"):
// making a workspace (course::startWorkspace), checking a lab
// (course::checkLab, then course::saveResults) and building an exercise
// (course::buildExercise). One job at a time; progress lines and the result
// come back as queued calls; the worker is joined when the panel goes.
#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>

#include "tlslab/scenarios/course/Workspace.hpp"

class QThread;

namespace tlslab::gui {

struct CheckRequest {
  const course::LabDefinition* lab = nullptr;
  std::filesystem::path workspace;
  std::filesystem::path program;  // "" = no program to run
};

class CourseWorker : public QObject {
  Q_OBJECT
 public:
  explicit CourseWorker(QObject* parent = nullptr);
  ~CourseWorker() override;
  bool isRunning() const { return running_; }

  void startWorkspace(course::StartOptions options);
  void check(const CheckRequest& request);
  // Builds every exercise of the lab in its workspace.
  void build(const course::LabDefinition* lab, const std::filesystem::path& workspace);

 signals:
  void progress(const QString& line);
  void workspaceReady(int lab, const QString& dir);
  void checked(std::shared_ptr<const tlslab::course::LabReport> report);
  void built(bool ok, const QString& output);
  // What could not be done ("Cannot start lab 1") and why.
  void failed(const QString& what, const QString& why);

 private:
  // Runs `job` on the worker; it reports through `post`, which ends the job.
  template <typename Job>
  void run(Job job);
  void say(const QString& line);

  QThread* thread_ = nullptr;
  bool running_ = false;  // false as soon as the final signal is emitted
};

}  // namespace tlslab::gui
