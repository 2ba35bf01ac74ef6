#pragma once
// The key schedule as a readable flow: one card per model::DerivationStep,
// in the order the core produced them (RFC 8446 §7.1 diagram order for TLS
// 1.3; PRF chain for 1.2), each reading  inputs -> function -> output.
//
//   setSteps(steps) / setConnection(connection)   what to show
//   setFilter(text)        shows only steps whose name or function contains text
//   showStep(name)         scrolls to a step and marks it (e.g. from a record's key)
//   showStepAt(index)      the same by index (the key schedule picture's selection)
//   stepsAsText()          the whole chain as plain text (the "Copy all" button)
//   stepSelected(index)    emitted when the user clicks a card
//
// Every value is a ValueLabel: select it, Ctrl+C or right-click copies the
// full hex. Status badges: derived, from key log, ✓ verified, ✗ failed, and
// not derivable with the core's note (forward secrecy) shown in the card.
#include <QWidget>
#include <vector>

#include "tlslab/model/Derivation.hpp"
#include "tlslab/model/Trace.hpp"
#include "views/ViewStyle.hpp"

class QLabel;
class QLineEdit;
class QScrollArea;
class QVBoxLayout;

namespace tlslab::gui::views {

class DerivationView : public QWidget {
  Q_OBJECT
 public:
  explicit DerivationView(QWidget* parent = nullptr);

  void setSteps(std::vector<model::DerivationStep> steps);
  void setConnection(const model::TraceConnection& connection);
  void clear() { setSteps({}); }

  int stepCount() const { return static_cast<int>(steps_.size()); }
  const model::DerivationStep& step(int index) const { return steps_.at(static_cast<std::size_t>(index)); }
  // The card showing step `index` (child widgets: "badge", "name", "function",
  // "rfc", "input<N>", "output", "note").
  QWidget* card(int index) const;
  int visibleStepCount() const;

  void setFilter(const QString& text);
  bool showStep(const QString& name);
  bool showStepAt(int index);  // the same by index (several steps may share a name)
  QString stepsAsText() const;
  QString summaryText() const;

  // Badge text for a status, e.g. "✓ verified", and its colour.
  static QString badgeText(model::StepStatus status);
  static Tone tone(model::StepStatus status);

 signals:
  void stepSelected(int index);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void rebuild();
  QWidget* makeCard(int index);
  void markCard(int index);

  std::vector<model::DerivationStep> steps_;
  std::vector<QWidget*> cards_;
  int marked_ = -1;
  QLabel* summary_;
  QLineEdit* filter_;
  QScrollArea* scroll_;
  QWidget* list_;
  QVBoxLayout* listLayout_;
};

}  // namespace tlslab::gui::views
