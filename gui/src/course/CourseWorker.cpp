#include "course/CourseWorker.hpp"

#include "WorkerThread.hpp"
#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::gui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

CourseWorker::CourseWorker(QObject* parent) : QObject(parent) {}

CourseWorker::~CourseWorker() { joinWorker(thread_); }

void CourseWorker::say(const QString& line) {
  QMetaObject::invokeMethod(this, [this, line] { emit progress(line); }, Qt::QueuedConnection);
}

template <typename Job>
void CourseWorker::run(Job job) {
  running_ = true;
  spawnWorker(this, thread_, [this, job] {
    // The job's last word, delivered on the GUI thread after running_ drops.
    auto post = [this](auto call) {
      QMetaObject::invokeMethod(this, [this, call] {
        running_ = false;
        call();
      }, Qt::QueuedConnection);
    };
    job(post);
  });
}

void CourseWorker::startWorkspace(course::StartOptions options) {
  if (isRunning() || options.lab == nullptr) return;
  options.progress = [this](const std::string& line) { say(qs(line)); };
  if (options.homeDir.empty()) options.homeDir = homeDir();
  run([this, options](auto post) {
    auto made = course::startWorkspace(options);
    const int lab = options.lab->number;
    if (!made) return post([this, lab, why = qs(made.error())] { emit failed(tr("Cannot start lab %1").arg(lab), why); });
    const QString dir = qs(std::filesystem::absolute(made.value()).lexically_normal().string());
    post([this, lab, dir] { emit workspaceReady(lab, dir); });
  });
}

void CourseWorker::check(const CheckRequest& request) {
  if (isRunning() || request.lab == nullptr) return;
  run([this, request](auto post) {
    const int lab = request.lab->number;
    auto fail = [&](const std::string& why) {
      post([this, lab, why = qs(why)] { emit failed(tr("Cannot check lab %1").arg(lab), why); });
    };
    // The workspace's own binding gives the variant: a student checks their own materials.
    auto info = course::openWorkspace(request.workspace);
    if (!info) return fail(info.error());
    // A lab of program checks only has no answers file: nothing to read then.
    const auto file = request.workspace / course::kAnswersFile;
    std::error_code ec;
    auto answers = std::filesystem::exists(file, ec) ? course::readAnswers(file)
                                                     : pki::Result<course::Answers>::success(course::Answers{});
    if (!answers) return fail(answers.error());
    const course::Variant variant = info->variant();
    course::CheckEnv env;
    env.variant = &variant;
    env.answers = &answers.value();
    env.workspace = request.workspace;
    env.certsDir = certsDir();
    env.program = request.program;
    env.progress = [this](const std::string& line) { say(qs(line)); };
    auto report = std::make_shared<course::LabReport>(course::checkLab(*request.lab, env));
    if (!course::saveResults(request.workspace, *report))
      say(tr("could not save the results in %1").arg(qs((request.workspace / course::kResultsFile).string())));
    post([this, report] { emit checked(report); });
  });
}

void CourseWorker::build(const course::LabDefinition* lab, const std::filesystem::path& workspace) {
  if (isRunning() || lab == nullptr) return;
  run([this, lab, workspace](auto post) {
    bool ok = !lab->exercises.empty();
    QString output;
    for (const auto& exercise : lab->exercises) {
      const std::string source(exercise.source), program(exercise.program);
      say(tr("building %1 from %2…").arg(qs(program), qs(source)));
      const course::ProgramResult result = course::buildExercise(workspace, source, program);
      output += qs(result.out) + qs(result.err);
      const bool built = result.exitedCleanly();
      output += built ? tr("built %1\n").arg(qs(program)) : tr("%1: the build %2\n").arg(qs(source), qs(result.describe()));
      ok = ok && built;
    }
    post([this, ok, output] { emit built(ok, output); });
  });
}

}  // namespace tlslab::gui
