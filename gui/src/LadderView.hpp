#pragma once
// The handshake ladder: one lifeline per endpoint, one arrow per record,
// time downwards. Painted with QPainter over a LadderLayout; only the rows
// in view are painted, so a capture with a million records scrolls freely.
#include <QAbstractScrollArea>

#include "LadderLayout.hpp"

namespace tlslab::gui {

class TraceDocument;

class LadderView : public QAbstractScrollArea {
  Q_OBJECT
 public:
  explicit LadderView(TraceDocument* document, QWidget* parent = nullptr);

  const LadderLayout& layout() const { return layout_; }
  int selectedArrow() const { return selected_; }
  TimeAxis timeAxis() const { return axis_; }
  double zoom() const { return zoom_; }
  // How the document's marks (a key-schedule node's inputs and protected
  // records) touch arrow i.
  ArrowMark markOf(int arrow) const;
  // Centre of arrow i in viewport coordinates (after scrolling it into view).
  QPoint arrowPoint(int arrow);
  // Centre of the label of the arrow's part-th message (several messages
  // share a record), in viewport coordinates; null when it is not shown.
  QPoint messagePoint(int arrow, int part);
  QSize sizeHint() const override { return {640, 480}; }

 public slots:
  void setTimeAxis(TimeAxis axis);
  void setZoom(double zoom);
  void zoomIn() { setZoom(zoom_ * 1.25); }
  void zoomOut() { setZoom(zoom_ / 1.25); }
  void resetZoom() { setZoom(1.0); }
  // Moves the selection by `delta` arrows (keyboard navigation).
  void step(int delta);
  // Moves to the next/previous message, within the selected record first
  // (a record may carry several), then on to the neighbouring arrows.
  void stepMessage(int delta);
  // Scrolls the selected arrow to a third of the height (context below it).
  void scrollToSelection();

 signals:
  void layoutChanged();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  bool viewportEvent(QEvent* event) override;

 private:
  void rebuild();
  void onConnectionSelected(int connection);
  void onRecordSelected(int connection, int record);
  void onMarksChanged();
  void updateScrollBar();
  void ensureVisible(int arrow, bool always = false);
  void selectArrow(int arrow);
  int arrowAt(QPoint viewportPos) const;
  // Where each message name of the arrow's label is drawn (empty rectangles
  // for names cut off by elision), in viewport coordinates.
  std::vector<QRectF> labelParts(int arrow) const;
  QFont labelFont(int arrow) const;
  QRectF labelBox(int arrow) const;
  double headerHeight() const;
  double rowTop() const;  // viewport y of layout y = 0
  double screenY(const LadderArrow& arrow) const { return rowTop() + arrow.y * zoom_; }
  double laneX(int lane) const;

  void paintHeader(QPainter& p) const;
  void paintRoundTrips(QPainter& p) const;
  void paintArrow(QPainter& p, int index, bool withLabel) const;

  TraceDocument* document_;
  LadderLayout layout_;
  TimeAxis axis_ = TimeAxis::Compressed;
  double zoom_ = 1.0;
  int selected_ = -1;
  int hover_ = -1;
};

}  // namespace tlslab::gui
