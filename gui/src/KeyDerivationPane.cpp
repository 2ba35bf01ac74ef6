#include "KeyDerivationPane.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "TraceDocument.hpp"
#include "views/DerivationView.hpp"
#include "views/KeyScheduleView.hpp"
#include "views/StepCard.hpp"
#include "views/StepLinksModel.hpp"

namespace tlslab::gui {

namespace {

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent, bool checkable = false) {
  auto* button = new QToolButton(parent);
  button->setText(text);
  button->setToolTip(tip);
  button->setAutoRaise(true);
  button->setCheckable(checkable);
  button->setAutoExclusive(checkable);
  return button;
}

QString howTo() {
  return QObject::tr("Click a box for its card, the messages it hashes and the records it protects; they are marked "
                     "on the ladder (amber: hashed into it, teal: protected by it).");
}

}  // namespace

KeyDerivationPane::KeyDerivationPane(TraceDocument* document, QWidget* parent)
    : QWidget(parent),
      document_(document),
      summary_(new QLabel(this)),
      pictureButton_(toolButton(tr("Picture"), tr("The key schedule as RFC 8446 §7.1 (RFC 5246 for TLS 1.2) draws it"), this, true)),
      cardsButton_(toolButton(tr("Cards"), tr("Every step as a card: inputs, function, output"), this, true)),
      zoomButtons_(new QWidget(this)),
      stack_(new QStackedWidget(this)),
      picture_(new views::KeyScheduleView(this)),
      cards_(new views::DerivationView(this)),
      detailsTitle_(new QLabel(howTo(), this)),
      cardSlot_(new QVBoxLayout),
      links_(new views::StepLinksModel(this)),
      linksView_(new QListView(this)) {
  summary_->setTextFormat(Qt::RichText);
  summary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  pictureButton_->setChecked(true);
  auto* zoomLayout = new QHBoxLayout(zoomButtons_);
  zoomLayout->setContentsMargins(0, 0, 0, 0);
  auto* zoomOut = toolButton(QStringLiteral("−"), tr("Zoom out (−, Ctrl+wheel)"), zoomButtons_);
  auto* fit = toolButton(tr("Fit"), tr("Fit the picture to the width"), zoomButtons_);
  auto* zoomIn = toolButton(QStringLiteral("+"), tr("Zoom in (+, Ctrl+wheel)"), zoomButtons_);
  for (auto* b : {zoomOut, fit, zoomIn}) zoomLayout->addWidget(b);
  connect(zoomOut, &QToolButton::clicked, picture_, &views::KeyScheduleView::zoomOut);
  connect(fit, &QToolButton::clicked, picture_, &views::KeyScheduleView::fitWidth);
  connect(zoomIn, &QToolButton::clicked, picture_, &views::KeyScheduleView::zoomIn);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 2, 2);
  bar->addWidget(pictureButton_);
  bar->addWidget(cardsButton_);
  bar->addSpacing(8);
  bar->addWidget(summary_, 1);
  bar->addWidget(zoomButtons_);

  // Details of the selected box, below the picture.
  detailsTitle_->setWordWrap(true);
  detailsTitle_->setTextFormat(Qt::RichText);
  linksView_->setModel(links_);
  linksView_->setObjectName(QStringLiteral("stepLinks"));
  linksView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  linksView_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  linksView_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  linksView_->setFrameShape(QFrame::NoFrame);
  linksView_->setUniformItemSizes(true);
  linksView_->setIconSize(QSize(10, 10));
  linksView_->hide();
  auto* host = new QWidget;
  auto* hostLayout = new QVBoxLayout(host);
  hostLayout->setContentsMargins(8, 6, 8, 8);
  hostLayout->addWidget(detailsTitle_);
  hostLayout->addLayout(cardSlot_);
  hostLayout->addWidget(linksView_);
  hostLayout->addStretch(1);
  auto* details = new QScrollArea(this);
  details->setWidget(host);
  details->setWidgetResizable(true);
  details->setFrameShape(QFrame::NoFrame);

  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(picture_);
  split->addWidget(details);
  split->setStretchFactor(0, 5);
  split->setStretchFactor(1, 2);
  split->setChildrenCollapsible(false);
  stack_->addWidget(split);
  stack_->addWidget(cards_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addWidget(stack_, 1);

  connect(pictureButton_, &QToolButton::toggled, this, [this](bool on) { showPicture(on); });
  connect(picture_, &views::KeyScheduleView::boxClicked, this, &KeyDerivationPane::onBoxClicked);
  connect(cards_, &views::DerivationView::stepSelected, this, &KeyDerivationPane::selectStep);
  connect(linksView_, &QListView::clicked, this, [this](const QModelIndex& index) { onLinkActivated(index.row()); });
  connect(linksView_, &QListView::activated, this, [this](const QModelIndex& index) { onLinkActivated(index.row()); });
  connect(document_, &TraceDocument::traceChanged, this, &KeyDerivationPane::rebuild);
  connect(document_, &TraceDocument::connectionSelected, this, [this](int connection) {
    if (connection != connection_) rebuild();
  });
  connect(document_, &TraceDocument::recordSelected, this, [this](int connection, int record) {
    picture_->setProtectedRecord(connection == connection_ ? record : -1);
  });
  rebuild();
}

bool KeyDerivationPane::showingPicture() const { return stack_->currentIndex() == 0; }

void KeyDerivationPane::showPicture(bool picture) {
  stack_->setCurrentIndex(picture ? 0 : 1);
  if (pictureButton_->isChecked() != picture) (picture ? pictureButton_ : cardsButton_)->setChecked(true);
  zoomButtons_->setVisible(picture);
  updateSummary();
}

int KeyDerivationPane::preferredWidth() const {
  if (picture_->layout().empty()) return 0;
  return static_cast<int>(picture_->layout().size.width()) + 32 + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 12;
}

void KeyDerivationPane::rebuild() {
  const auto* c = document_->currentConnection();
  connection_ = document_->connection();
  shownStep_ = -1;
  delete card_;
  card_ = nullptr;
  links_->clear();
  linksView_->hide();
  detailsTitle_->setText(howTo());
  if (c == nullptr) {
    picture_->clear();
    cards_->clear();
  } else {
    picture_->setConnection(*c);
    cards_->setConnection(*c);
    picture_->setProtectedRecord(document_->record());
  }
  updateSummary();
}

void KeyDerivationPane::updateSummary() {
  QString text = cards_->summaryText();
  const int unplaced = picture_->layout().unplaced;
  if (showingPicture() && unplaced > 0 && !picture_->layout().empty())
    text += tr(" · %1 more in the cards").arg(unplaced);
  summary_->setText(text);
}

void KeyDerivationPane::selectStep(int step) {
  const auto& steps = picture_->steps();
  if (step < 0 || step >= static_cast<int>(steps.size())) return;
  const model::DerivationStep& s = steps[static_cast<std::size_t>(step)];
  shownStep_ = step;
  picture_->selectStep(step);
  cards_->showStepAt(step);
  delete card_;
  card_ = views::makeStepCard(s, detailsTitle_->parentWidget());
  cardSlot_->addWidget(card_);
  const auto* c = document_->currentConnection();
  links_->setStep(&s, c);
  const int rows = links_->rowCount();
  linksView_->setVisible(rows > 0);
  if (rows > 0) linksView_->setFixedHeight(linksView_->sizeHintForRow(0) * rows + 4);
  const int hashed = links_->count(views::StepLinksModel::Kind::Message);
  const int protects = links_->count(views::StepLinksModel::Kind::Record);
  QStringList parts;
  if (hashed > 0) parts << tr("%n message(s) go into it (amber on the ladder)", nullptr, hashed);
  if (protects > 0) parts << tr("its key protects %n record(s) (teal)", nullptr, protects);
  detailsTitle_->setText(parts.isEmpty() ? tr("<b>%1</b>").arg(QString::fromStdString(s.name).toHtmlEscaped())
                                         : tr("<b>%1</b>: %2. Click one to open it.")
                                               .arg(QString::fromStdString(s.name).toHtmlEscaped(), parts.join(tr("; "))));
  if (c != nullptr) document_->markStep(connection_, s);
}

bool KeyDerivationPane::selectNode(const QString& name) {
  for (const auto& box : picture_->layout().boxes) {
    if (box.step < 0 || QString::fromLatin1(model::scheduleNodeName(box.node)) != name) continue;
    selectStep(box.step);
    return true;
  }
  return false;
}

void KeyDerivationPane::onBoxClicked(int box) {
  const auto& layout = picture_->layout();
  if (box < 0 || box >= static_cast<int>(layout.boxes.size())) return;
  const ScheduleBox& b = layout.boxes[static_cast<std::size_t>(box)];
  if (b.step >= 0) return selectStep(b.step);
  shownStep_ = -1;
  delete card_;
  card_ = nullptr;
  links_->clear();
  linksView_->hide();
  detailsTitle_->setText(tr("<b>%1</b>: this connection's derivation has no step for it.").arg(b.title.toHtmlEscaped()));
  document_->clearMarks();
}

void KeyDerivationPane::onLinkActivated(int row) {
  if (row < 0 || row >= links_->rowCount()) return;
  if (links_->kind(row) == views::StepLinksModel::Kind::Message) document_->selectMessage(connection_, links_->target(row));
  else document_->selectRecord(connection_, links_->target(row));
}

}  // namespace tlslab::gui
