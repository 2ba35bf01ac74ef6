#pragma once
// One row per question of a lab (course::Question): its prompt, the format
// the answer is written in, the student's answer (editable) and the verdict
// of the checks that judge it (CheckSpec::question). Values load from and
// save to the workspace's answers.txt through core (readAnswers, withAnswers),
// so the file keeps its layout; verdicts come from course::checkLab.
#include <QAbstractTableModel>
#include <QStringList>

#include <filesystem>
#include <optional>
#include <vector>

#include "tlslab/scenarios/course/Lab.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui {

// ✔ pass, ✗ fail, – missing, ⚠ skipped; green, red, amber.
QString verdictMark(course::Verdict verdict);
views::Tone verdictTone(course::Verdict verdict);

class AnswersModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Prompt, Format, Answer, Verdict, ColumnCount };
  enum Role { KeyRole = Qt::UserRole + 1, DetailRole, HintRole, CheckedRole };

  explicit AnswersModel(QObject* parent = nullptr);

  void setLab(const course::LabDefinition* lab);
  const course::LabDefinition* lab() const { return lab_; }
  // The student whose questions these are (some prompts differ per student:
  // course::promptFor); nullopt shows every question's general prompt.
  void setVariant(std::optional<course::Variant> variant);

  // Reads the answers of `file` ("" when it worked, else why not); a missing
  // file leaves every answer empty. problems() lists what the file got wrong.
  QString load(const std::filesystem::path& file);
  // Writes the answers into `file`, changing only the values.
  QString save(const std::filesystem::path& file);
  QStringList problems() const { return problems_; }

  // The checks of a report that judge a question land on its row; the others
  // are for ChecksModel. An empty report clears the verdicts.
  void setReport(const course::LabReport& report);
  // The results that judge row `row`'s answer (usually one).
  const std::vector<course::CheckResult>& resultsOf(int row) const;

  QString key(int row) const;
  QString value(int row) const;
  bool setValue(int row, const QString& value);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    QString value;
    std::vector<course::CheckResult> results;
  };
  // The verdict a question shows: its first check that did not pass, else the first.
  const course::CheckResult* shown(const Row& row) const;

  const course::LabDefinition* lab_ = nullptr;
  std::optional<course::Variant> variant_;
  std::vector<Row> rows_;
  QStringList problems_;
};

}  // namespace tlslab::gui
