#pragma once
// The key schedule as the RFCs draw it (KeyScheduleLayout), painted with this
// connection's values: each box shows its shortened value and status, and is
// clickable. A click selects the box and emits boxClicked; whoever owns the
// view (KeyDerivationPane) shows the step and marks its inputs and records.
// The arrows into the selected box (what it is made from) are drawn bold;
// boxes whose key protects `protectedRecord` get a teal outline.
#include <QAbstractScrollArea>

#include "KeyScheduleLayout.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::gui::views {

class KeyScheduleView : public QAbstractScrollArea {
  Q_OBJECT
 public:
  explicit KeyScheduleView(QWidget* parent = nullptr);

  void setSteps(std::vector<model::DerivationStep> steps, std::uint16_t version = 0, bool extendedMasterSecret = false);
  void setConnection(const model::TraceConnection& connection);
  void clear() { setSteps({}); }

  const KeyScheduleLayout& layout() const { return layout_; }
  const std::vector<model::DerivationStep>& steps() const { return steps_; }
  int selectedBox() const { return selected_; }
  double zoom() const { return zoom_; }
  // Centre of box i in viewport coordinates, scrolled into view first.
  QPoint boxPoint(int box);
  // Boxes whose key protects record `record` (-1: none) get an outline.
  void setProtectedRecord(int record);
  std::vector<int> protectingBoxes() const;
  QSize sizeHint() const override { return {760, 640}; }

 public slots:
  void selectBox(int box);  // -1 clears; does not emit boxClicked
  void selectStep(int step);
  void setZoom(double zoom);
  void zoomIn() { setZoom(zoom_ * 1.2); }
  void zoomOut() { setZoom(zoom_ / 1.2); }
  void fitWidth();

 signals:
  void boxClicked(int box);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  bool viewportEvent(QEvent* event) override;

 private:
  static constexpr double kMargin = 16;  // around the picture, in viewport pixels

  void updateScrollBars();
  void ensureVisible(int box);
  QPointF toLayout(QPoint viewportPos) const;
  QPointF toViewport(QPointF layoutPos) const;
  void paintEdge(QPainter& p, const ScheduleEdge& edge) const;
  void paintBox(QPainter& p, int index) const;

  std::vector<model::DerivationStep> steps_;
  KeyScheduleLayout layout_;
  int selected_ = -1;
  int hover_ = -1;
  int protectedRecord_ = -1;
  double zoom_ = 1.0;
};

}  // namespace tlslab::gui::views
