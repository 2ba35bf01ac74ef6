#pragma once
// The ladder with its toolbar: what the handshake was (version, suite,
// round trips), the time-axis toggle and zoom buttons.
#include <QWidget>

class QLabel;
class QToolButton;

namespace tlslab::gui {

class LadderView;
class TraceDocument;

class LadderPane : public QWidget {
  Q_OBJECT
 public:
  explicit LadderPane(TraceDocument* document, QWidget* parent = nullptr);
  LadderView* view() const { return view_; }
  QLabel* summary() const { return summary_; }
  QToolButton* linearButton() const { return linear_; }

 private:
  LadderView* view_;
  QLabel* summary_;
  QToolButton* linear_;
};

}  // namespace tlslab::gui
