#pragma once
// The runnable steps of a tutorial (course::tutorialSteps, the parser the
// tutorial test uses), one row each, with how the Course panel runs it:
//  - `tlslab lab run NAME …` alone: through the GUI's own lab runner, so the
//    run is drawn on the ladder as it happens;
//  - anything else: the real `tlslab` in a shell, in the workspace folder;
//  - a `tlslab …` command naming a capture file: that capture opens afterwards.
// Needs (`needs=root`, `needs=chromium`) this machine lacks are listed.
#include <QAbstractListModel>
#include <QStringList>

#include <vector>

#include "tlslab/scenarios/course/Tutorial.hpp"

namespace tlslab::gui {

struct StepPlan {
  QString label;         // the first command, "…" when more follow
  QString labArguments;  // "lab run mitm --victim correct" when it runs in the lab runner, else ""
  QString capture;       // a capture file the step's commands name ("" when none)
  QString keyLog;        // the --keylog given with it
  QStringList missing;   // needs this machine does not meet: "root", "chromium"
  QStringList needs;
};
StepPlan planStep(const course::TutorialStep& step);

class TutorialStepsModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role { SectionRole = Qt::UserRole + 1, ScriptRole, LabRunRole, MissingRole };

  explicit TutorialStepsModel(QObject* parent = nullptr);

  // The steps of a tutorial's Markdown.
  void setMarkdown(const QString& markdown);
  const course::TutorialStep& step(int row) const { return steps_.at(static_cast<std::size_t>(row)); }
  const StepPlan& plan(int row) const { return plans_.at(static_cast<std::size_t>(row)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  std::vector<course::TutorialStep> steps_;
  std::vector<StepPlan> plans_;
};

}  // namespace tlslab::gui
