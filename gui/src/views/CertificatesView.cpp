#include "views/CertificatesView.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>

#include "tlslab/pki/CertificateInfo.hpp"
#include "tlslab/scenarios/CertificateCompare.hpp"
#include "views/FieldTreeView.hpp"
#include "views/VerifyStepsModel.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {

QWidget* titled(QLabel* title, QWidget* body, QWidget* extra = nullptr) {
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  auto* head = new QHBoxLayout;
  head->setContentsMargins(6, 4, 6, 0);
  head->addWidget(title, 1);
  if (extra != nullptr) head->addWidget(extra);
  layout->addLayout(head);
  layout->addWidget(body, 1);
  return box;
}

QString roleOf(std::size_t index, std::size_t count) {
  if (index == 0) return QObject::tr("leaf");
  if (index + 1 == count) return QObject::tr("top of the sent chain");
  return QObject::tr("intermediate");
}

}  // namespace

CertificatesView::CertificatesView(QWidget* parent)
    : QWidget(parent),
      sideBox_(new QComboBox(this)),
      verdict_(new QLabel(this)),
      chainTitle_(new QLabel(this)),
      events_(new QCheckBox(tr("Every callback call"), this)),
      verifyTable_(new QTableView(this)),
      verifyModel_(new VerifyStepsModel(this)),
      chain_(new FieldTreeView(this)),
      mitmBox_(new QGroupBox(tr("Man in the middle: the leaf each side saw"), this)),
      mitmSummary_(new QLabel(mitmBox_)),
      comparison_(new QTableWidget(mitmBox_)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  verdict_->setObjectName(QStringLiteral("verdict"));
  verdict_->setTextFormat(Qt::RichText);
  verdict_->setWordWrap(true);
  verdict_->setContentsMargins(8, 6, 8, 2);
  verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* top = new QHBoxLayout;
  top->addWidget(verdict_, 1);
  sideBox_->addItems({tr("Server's certificates"), tr("Client's certificates")});
  sideBox_->setToolTip(tr("Client authentication: the client sent a chain too"));
  sideBox_->hide();
  top->addWidget(sideBox_, 0, Qt::AlignTop);
  top->setContentsMargins(0, 0, 6, 0);
  layout->addLayout(top);
  connect(sideBox_, &QComboBox::currentIndexChanged, this, [this](int i) { setSide(static_cast<Side>(i)); });

  verifyTable_->setModel(verifyModel_);
  verifyTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  verifyTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  verifyTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  verifyTable_->verticalHeader()->hide();
  verifyTable_->setWordWrap(false);
  verifyTable_->horizontalHeader()->setStretchLastSection(true);
  verifyTable_->setAlternatingRowColors(true);
  verifyTable_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  events_->setToolTip(tr("Show each call of OpenSSL's verify callback in order, as it walked the chain"));
  connect(events_, &QCheckBox::toggled, verifyModel_, &VerifyStepsModel::setShowEvents);
  connect(verifyTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
    if (const model::VerifyStep* s = verifyModel_->stepAt(i.row())) selectDepth(s->depth);
  });
  auto* verifyTitle = new QLabel(tr("<b>Verification, step by step</b> (depth 0 = the server's own certificate)"), this);

  chainTitle_->setTextFormat(Qt::RichText);

  auto* mitmLayout = new QVBoxLayout(mitmBox_);
  mitmSummary_->setTextFormat(Qt::RichText);
  mitmSummary_->setWordWrap(true);
  comparison_->setColumnCount(3);
  comparison_->verticalHeader()->hide();
  comparison_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  comparison_->setSelectionBehavior(QAbstractItemView::SelectRows);
  comparison_->setWordWrap(false);
  comparison_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
  comparison_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  comparison_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  comparison_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  mitmLayout->addWidget(mitmSummary_);
  mitmLayout->addWidget(comparison_, 1);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(titled(verifyTitle, verifyTable_, events_));
  splitter->addWidget(titled(chainTitle_, chain_));
  splitter->addWidget(mitmBox_);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 3);
  splitter->setStretchFactor(2, 2);
  splitter->setChildrenCollapsible(false);
  layout->addWidget(splitter, 1);
  clear();
}

void CertificatesView::clear() {
  chains_[0] = chains_[1] = {};
  sideBox_->hide();
  setChain({});
  setVerification(std::nullopt);
  clearMitmComparison();
}

void CertificatesView::setChain(const std::vector<Bytes>& der, const QString& title) {
  // A synthetic root groups the certificates; each child is the core's
  // decoding of one certificate, renamed with its place in the chain.
  model::Field root;
  root.name = "chain";
  for (std::size_t i = 0; i < der.size(); ++i) {
    model::Field cert = pki::describeCertificate(der[i]);
    const scenarios::CertificateSummary summary = scenarios::summarizeCertificate(der[i]);
    cert.name = QStringLiteral("Certificate %1 · %2").arg(i).arg(roleOf(i, der.size())).toStdString();
    if (summary.parsed) cert.value = summary.subject;
    root.children.push_back(std::move(cert));
  }
  const QString heading = title.isEmpty() ? tr("Chain sent by the server") : title;
  chainTitle_->setText(der.empty() ? tr("<b>%1</b>: <i>none seen</i>").arg(heading.toHtmlEscaped())
                                   : tr("<b>%1</b>: %2, leaf first")
                                         .arg(heading.toHtmlEscaped(), countText(der.size(), tr("certificate"), tr("certificates"))));
  chain_->setField(std::move(root), false);
  chain_->collapseAll();
  if (!der.empty()) {
    // The leaf and its signed part open: subject, names and validity are
    // what a learner looks for first.
    const QModelIndex leaf = chain_->fieldModel()->index(0, 0);
    chain_->expand(leaf);
    chain_->expand(chain_->fieldModel()->index(0, 0, leaf));
  }
}

void CertificatesView::setVerification(const std::optional<model::VerifyVerdict>& verdict) {
  verifyModel_->setVerdict(verdict);
  verifyTable_->resizeColumnsToContents();
  const QPalette& pal = palette();
  if (!verdict) {
    verdict_->setText(tr("<i>No verification recorded: a capture does not say what the client trusted. "
                         "Run a lab to see the client's checks.</i>"));
    return;
  }
  if (verdict->ok) {
    verdict_->setText(badgeHtml(tr("✓ The chain verified"), Tone::Good, pal) +
                      tr(" — every check passed at every depth."));
    return;
  }
  verdict_->setText(badgeHtml(tr("✗ Verification failed"), Tone::Bad, pal) +
                    tr(" at depth %1: <b>%2</b> — %3")
                        .arg(verdict->errorDepth)
                        .arg(QString::fromStdString(verdict->errorName).toHtmlEscaped(),
                             QString::fromStdString(verdict->errorText).toHtmlEscaped()));
}

void CertificatesView::setConnection(const model::TraceConnection& connection) {
  chains_[0] = {connection.serverCertificates, connection.serverVerification,
                tr("Chain sent by %1").arg(QString::fromStdString(connection.serverLabel))};
  chains_[1] = {connection.clientCertificates, connection.clientVerification,
                tr("Chain sent by %1").arg(QString::fromStdString(connection.clientLabel))};
  // The selector only appears when there is a client side to look at.
  sideBox_->setVisible(!connection.clientCertificates.empty() || connection.clientVerification.has_value());
  side_ = Side::Client;  // force setSide to apply
  setSide(Side::Server);
}

void CertificatesView::setSide(Side side) {
  if (side == side_ && sideBox_->currentIndex() == static_cast<int>(side)) return;
  side_ = side;
  if (sideBox_->currentIndex() != static_cast<int>(side)) {
    const QSignalBlocker block(sideBox_);
    sideBox_->setCurrentIndex(static_cast<int>(side));
  }
  const Chain& chain = chains_[side == Side::Server ? 0 : 1];
  setChain(chain.der, chain.title);
  setVerification(chain.verification);
}

void CertificatesView::setMitmComparison(const Bytes& victimLeaf, const Bytes& serverLeaf, const QString& victimLabel,
                                         const QString& serverLabel) {
  const scenarios::CertificateSummary victim = scenarios::summarizeCertificate(victimLeaf);
  const scenarios::CertificateSummary server = scenarios::summarizeCertificate(serverLeaf);
  const std::vector<scenarios::FieldDifference> diffs = scenarios::compareLeaves(victim, server);
  differences_ = static_cast<int>(diffs.size());

  comparison_->setHorizontalHeaderLabels({tr("Field"), victimLabel.isEmpty() ? tr("The victim saw") : victimLabel,
                                          serverLabel.isEmpty() ? tr("The real server sent") : serverLabel});
  const std::pair<const char*, std::string scenarios::CertificateSummary::*> rows[] = {
      {"subject", &scenarios::CertificateSummary::subject},
      {"issuer", &scenarios::CertificateSummary::issuer},
      {"names", &scenarios::CertificateSummary::names},
      {"validity", &scenarios::CertificateSummary::validity},
      {"key fingerprint", &scenarios::CertificateSummary::keyFingerprint},
  };
  comparison_->setRowCount(static_cast<int>(std::size(rows)));
  const QColor bad = toneColor(Tone::Bad, palette());
  int row = 0;
  for (const auto& [field, member] : rows) {
    bool differs = false;
    for (const auto& d : diffs) differs = differs || d.field == field;
    auto* name = new QTableWidgetItem(differs ? QStringLiteral("≠ %1").arg(QLatin1String(field)) : QLatin1String(field));
    auto* left = new QTableWidgetItem(QString::fromStdString(victim.*member));
    auto* right = new QTableWidgetItem(QString::fromStdString(server.*member));
    for (QTableWidgetItem* item : {name, left, right}) {
      item->setToolTip(item->text());
      if (differs) {
        item->setForeground(bad);
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
      }
    }
    comparison_->setItem(row, 0, name);
    comparison_->setItem(row, 1, left);
    comparison_->setItem(row, 2, right);
    ++row;
  }
  const QPalette& pal = palette();
  mitmSummary_->setText(
      diffs.empty() ? badgeHtml(tr("✓ The victim saw the real server's certificate."), Tone::Good, pal)
                    : badgeHtml(tr("✗ The victim saw a different certificate: %1 differ.")
                                    .arg(countText(diffs.size(), tr("field"), tr("fields"))),
                                Tone::Bad, pal) +
                          tr(" That difference is the attack; only a client that checks it notices."));
  mitmBox_->show();
}

void CertificatesView::clearMitmComparison() {
  differences_ = -1;
  comparison_->setRowCount(0);
  mitmBox_->hide();
}

void CertificatesView::selectDepth(int depth) {
  const model::Field& root = chain_->fieldModel()->root();
  if (depth < 0 || static_cast<std::size_t>(depth) >= root.children.size()) return;
  const model::Field* cert = &root.children[static_cast<std::size_t>(depth)];
  chain_->expand(chain_->fieldModel()->indexOf(cert));
  chain_->selectField(cert);
}

QString CertificatesView::verdictText() const {
  QTextDocument doc;
  doc.setHtml(verdict_->text());
  return doc.toPlainText();
}

}  // namespace tlslab::gui::views
