#pragma once
// The "Key derivation" tab: the key schedule as a picture (the RFC diagram
// filled with this connection's values) or as the list of cards, following
// the document's connection. Selecting a step in either shows its card and
// what it points at (the messages it hashes, the records it protects), and
// marks those on the ladder through TraceDocument; a record selected on the
// ladder outlines the boxes whose key protects it.
#include <QWidget>

class QLabel;
class QListView;
class QStackedWidget;
class QToolButton;
class QVBoxLayout;

namespace tlslab::gui {

class TraceDocument;
namespace views {
class DerivationView;
class KeyScheduleView;
class StepLinksModel;
}  // namespace views

class KeyDerivationPane : public QWidget {
  Q_OBJECT
 public:
  explicit KeyDerivationPane(TraceDocument* document, QWidget* parent = nullptr);

  views::KeyScheduleView* picture() const { return picture_; }
  views::DerivationView* cards() const { return cards_; }
  views::StepLinksModel* links() const { return links_; }
  QListView* linksView() const { return linksView_; }
  QLabel* detailsTitle() const { return detailsTitle_; }
  // The step whose card the details show (-1: none).
  int shownStep() const { return shownStep_; }
  QWidget* shownCard() const { return card_; }
  bool showingPicture() const;
  // Width the picture needs at zoom 1 (the window widens the tab to it).
  int preferredWidth() const;

 public slots:
  void showPicture(bool picture);
  // Selects step `step` of the shown connection in both views, shows its
  // card and links, and marks them on the ladder.
  void selectStep(int step);
  // The same for the step at a node of the picture, by its name as
  // model::scheduleNodeName spells it ("server_handshake_traffic_secret");
  // false when the picture has no step there.
  bool selectNode(const QString& name);

 private:
  void rebuild();
  void onBoxClicked(int box);
  void onLinkActivated(int row);
  void updateSummary();

  TraceDocument* document_;
  int connection_ = -1;
  int shownStep_ = -1;
  QLabel* summary_;
  QToolButton* pictureButton_;
  QToolButton* cardsButton_;
  QWidget* zoomButtons_;
  QStackedWidget* stack_;
  views::KeyScheduleView* picture_;
  views::DerivationView* cards_;
  QLabel* detailsTitle_;
  QVBoxLayout* cardSlot_;
  QWidget* card_ = nullptr;
  views::StepLinksModel* links_;
  QListView* linksView_;
};

}  // namespace tlslab::gui
