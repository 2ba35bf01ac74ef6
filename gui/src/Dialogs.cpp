#include "Dialogs.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/capture/Source.hpp"
#include "tlslab/pki/Catalog.hpp"

namespace tlslab::gui {

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// A path field with a "Browse…" button.
QWidget* pathRow(QLineEdit* edit, const QString& filter, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* browse = new QPushButton(QObject::tr("Browse…"), row);
  QObject::connect(browse, &QPushButton::clicked, row, [edit, filter, row] {
    const QString file = QFileDialog::getOpenFileName(row, QObject::tr("Choose a file"), edit->text(), filter);
    if (!file.isEmpty()) edit->setText(file);
  });
  layout->addWidget(edit, 1);
  layout->addWidget(browse);
  return row;
}

QString settingsKey(const QString& capture) {
  // QSettings keys cannot hold '/' or '\\' as data: hash the absolute path.
  return QStringLiteral("captureKeys/%1").arg(qHash(QFileInfo(capture).absoluteFilePath()), 0, 16);
}

}  // namespace

// ---------------------------------------------------------------- open

OpenCaptureDialog::OpenCaptureDialog(const QString& capture, QWidget* parent)
    : QDialog(parent), capture_(new QLineEdit(capture, this)), keyLog_(new QLineEdit(this)),
      rsaKey_(new QLineEdit(this)), password_(new QLineEdit(this)), psk_(new QLineEdit(this)),
      pskIdentity_(new QLineEdit(this)) {
  setWindowTitle(tr("Open Capture"));
  password_->setEchoMode(QLineEdit::Password);
  keyLog_->setPlaceholderText(tr("optional: SSLKEYLOGFILE (NSS key log)"));
  rsaKey_->setPlaceholderText(tr("optional: the server's RSA key (TLS 1.2 RSA key exchange only)"));
  keyLog_->setToolTip(tr("Captures with embedded keys (pcapng Decryption Secrets Blocks, as tlslab writes them) need nothing here."));
  auto* form = new QFormLayout;
  form->addRow(tr("&Capture:"), pathRow(capture_, tr("Captures (*.pcapng *.pcap *.cap *.gz);;All files (*)"), this));
  form->addRow(tr("&Key log:"), pathRow(keyLog_, tr("Key logs (*.log *.txt *.keys);;All files (*)"), this));
  form->addRow(tr("&RSA key:"), pathRow(rsaKey_, tr("Keys (*.pem *.key *.p12 *.pfx);;All files (*)"), this));
  form->addRow(tr("Key &password:"), password_);
  psk_->setPlaceholderText(tr("optional: pre-shared key in hex (PSK cipher suites, TLS or DTLS)"));
  psk_->setObjectName(QStringLiteral("psk"));
  pskIdentity_->setPlaceholderText(tr("optional: the PSK identity it is for (empty: any identity)"));
  pskIdentity_->setObjectName(QStringLiteral("pskIdentity"));
  form->addRow(tr("P&SK:"), psk_);
  form->addRow(tr("PSK &identity:"), pskIdentity_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  connect(capture_, &QLineEdit::editingFinished, this, &OpenCaptureDialog::captureChanged);
  captureChanged();
  resize(640, sizeHint().height());
}

void OpenCaptureDialog::captureChanged() {
  const OpenRequest known = remembered(capture_->text());
  if (keyLog_->text().isEmpty()) keyLog_->setText(known.keyLog);
  if (rsaKey_->text().isEmpty()) rsaKey_->setText(known.rsaKey);
}

OpenRequest OpenCaptureDialog::request() const {
  return {capture_->text().trimmed(), keyLog_->text().trimmed(), rsaKey_->text().trimmed(), password_->text(),
          psk_->text().trimmed(), pskIdentity_->text()};
}

OpenRequest OpenCaptureDialog::remembered(const QString& capture) {
  QSettings settings;
  const QString key = settingsKey(capture);
  return {capture, settings.value(key + QStringLiteral("/keyLog")).toString(),
          settings.value(key + QStringLiteral("/rsaKey")).toString(), {}, {}, {}};
}

void OpenCaptureDialog::remember(const OpenRequest& request) {
  QSettings settings;
  const QString key = settingsKey(request.capture);
  settings.setValue(key + QStringLiteral("/keyLog"), request.keyLog);
  settings.setValue(key + QStringLiteral("/rsaKey"), request.rsaKey);  // the path only, never the password
}

// ---------------------------------------------------------------- labs

LabDialog::LabDialog(LabKind initial, QWidget* parent)
    : QDialog(parent), labs_(new QListWidget(this)), summary_(new QLabel(this)), options_(new QStackedWidget(this)),
      tls_(new QComboBox(this)), entry_(new QComboBox(this)), strategy_(new QComboBox(this)),
      victim_(new QComboBox(this)), attack_(new QComboBox(this)), expectation_(new QLabel(this)) {
  setWindowTitle(tr("Run Lab"));
  for (const LabInfo& lab : labCatalog()) {
    auto* item = new QListWidgetItem(lab.name, labs_);
    item->setToolTip(lab.summary);
    item->setData(Qt::UserRole, static_cast<int>(lab.kind));
  }
  summary_->setWordWrap(true);
  expectation_->setWordWrap(true);

  tls_->addItem(tr("TLS 1.3"), QStringLiteral("1.3"));
  tls_->addItem(tr("TLS 1.2"), QStringLiteral("1.2"));
  for (const auto& e : pki::catalog()) {
    if (e.kind != pki::EntryKind::Gallery) continue;
    entry_->addItem(qs(e.name), qs(e.name));
    entry_->setItemData(entry_->count() - 1, qs(e.teaches), Qt::ToolTipRole);
  }
  for (auto s : endpoints::allAttackerCertificates()) {
    strategy_->addItem(QString::fromUtf8(endpoints::attackerCertificateName(s)), static_cast<int>(s));
    strategy_->setItemData(strategy_->count() - 1, QString::fromUtf8(endpoints::attackerCertificateDescription(s)), Qt::ToolTipRole);
  }
  for (auto v : scenarios::allVictimModes()) {
    victim_->addItem(QString::fromUtf8(scenarios::victimModeName(v)), static_cast<int>(v));
    victim_->setItemData(victim_->count() - 1, QString::fromUtf8(scenarios::victimModeDescription(v)), Qt::ToolTipRole);
  }
  victim_->setCurrentText(QStringLiteral("chain-only"));
  for (auto a : scenarios::tamperActions()) {
    attack_->addItem(QString::fromUtf8(endpoints::tamperActionName(a)), static_cast<int>(a));
    attack_->setItemData(attack_->count() - 1, QString::fromUtf8(scenarios::tamperActionDescription(a)), Qt::ToolTipRole);
  }

  // One options page per lab kind, in catalog order.
  auto page = [this](std::initializer_list<std::pair<QString, QWidget*>> rows) {
    auto* w = new QWidget(options_);
    auto* form = new QFormLayout(w);
    for (const auto& [label, field] : rows) {
      if (field == nullptr) continue;
      form->addRow(label, field);
    }
    options_->addWidget(w);
    return form;
  };
  // One version choice shown on every page that has one.
  auto sharedTls = [this] {
    auto* combo = new QComboBox(this);
    combo->setModel(tls_->model());
    connect(combo, &QComboBox::currentIndexChanged, tls_, &QComboBox::setCurrentIndex);
    connect(tls_, &QComboBox::currentIndexChanged, combo, &QComboBox::setCurrentIndex);
    return combo;
  };
  page({{tr("&Version:"), tls_}});
  page({{tr("&Version:"), sharedTls()}});
  page({{tr("Protocol:"), new QLabel(tr("SMTP (RFC 3207), login inside TLS"), this)}});
  page({{tr("&Certificate:"), entry_}});
  QFormLayout* mitm = page({{tr("&Attacker's certificate:"), strategy_}, {tr("&Victim client:"), victim_}});
  mitm->addRow(expectation_);
  auto updateExpectation = [this] {
    const auto& e = scenarios::expectedOutcome(static_cast<endpoints::AttackerCertificate>(strategy_->currentData().toInt()),
                                               static_cast<scenarios::VictimMode>(victim_->currentData().toInt()));
    expectation_->setText(e.attackSucceeds ? tr("<b>Expected:</b> the attack succeeds; the proxy reads the password.")
                                           : tr("<b>Expected:</b> the victim aborts with %1 at depth %2.").arg(QString::fromUtf8(e.error)).arg(e.depth));
  };
  connect(strategy_, &QComboBox::currentIndexChanged, this, updateExpectation);
  connect(victim_, &QComboBox::currentIndexChanged, this, updateExpectation);
  updateExpectation();
  QFormLayout* tamper = page({{tr("&Version:"), sharedTls()}, {tr("&Attacker:"), attack_}});
  auto* tamperExpectation = new QLabel(this);
  tamperExpectation->setWordWrap(true);
  tamper->addRow(tamperExpectation);
  auto updateTamper = [this, tamperExpectation] {
    const auto action = static_cast<endpoints::Tamper::Action>(attack_->currentData().toInt());
    tamperExpectation->setText(
        action == endpoints::Tamper::Action::Truncate
            ? tr("<b>Expected:</b> the attacker %1; the server sees the connection end without close_notify.")
                  .arg(QString::fromUtf8(scenarios::tamperActionDescription(action)))
            : tr("<b>Expected:</b> the attacker %1; the server answers with a bad_record_mac alert and never "
                 "sees the request.").arg(QString::fromUtf8(scenarios::tamperActionDescription(action))));
  };
  connect(attack_, &QComboBox::currentIndexChanged, this, updateTamper);
  updateTamper();
  auto* quicNote = new QLabel(tr("gtlsserver and gtlsclient (Debian's ngtcp2-server and ngtcp2-client) fetch one page "
                                 "over HTTP/3 while tlslab captures lo, which needs root or CAP_NET_RAW."), this);
  quicNote->setWordWrap(true);
  page({{tr("Programs:"), quicNote}});

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  buttons->addButton(tr("&Run"), QDialogButtonBox::AcceptRole)->setDefault(true);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* right = new QVBoxLayout;
  right->addWidget(summary_);
  right->addWidget(options_);
  right->addStretch(1);
  auto* top = new QHBoxLayout;
  top->addWidget(labs_);
  top->addLayout(right, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(new QLabel(tr("Everything runs on loopback addresses inside tlslab; nothing leaves this machine."), this));
  layout->addWidget(buttons);
  labs_->setMaximumWidth(220);
  connect(labs_, &QListWidget::currentRowChanged, this, &LabDialog::labChanged);
  connect(labs_, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
  labs_->setCurrentRow(static_cast<int>(initial));
  resize(720, 360);
}

void LabDialog::labChanged(int row) {
  if (row < 0 || row >= static_cast<int>(labCatalog().size())) return;
  const LabInfo& lab = labCatalog()[static_cast<std::size_t>(row)];
  summary_->setText(QStringLiteral("<b>%1</b><br>%2<br><i>Tutorial: tutorials/%3</i>").arg(lab.name, lab.summary, lab.tutorial));
  options_->setCurrentIndex(row);
}

LabRequest LabDialog::request() const {
  LabRequest r;
  r.kind = static_cast<LabKind>(labs_->currentItem() ? labs_->currentItem()->data(Qt::UserRole).toInt() : 0);
  r.tls = tls_->currentData().toString().toStdString();
  r.galleryEntry = entry_->currentData().toString().toStdString();
  r.strategy = static_cast<endpoints::AttackerCertificate>(strategy_->currentData().toInt());
  r.victim = static_cast<scenarios::VictimMode>(victim_->currentData().toInt());
  r.attack = static_cast<endpoints::Tamper::Action>(attack_->currentData().toInt());
  return r;
}

// ---------------------------------------------------------------- live

LiveCaptureDialog::LiveCaptureDialog(QWidget* parent)
    : QDialog(parent), devices_(new QComboBox(this)), filter_(new QLineEdit(QStringLiteral("tcp"), this)),
      keyLog_(new QLineEdit(this)), status_(new QLabel(this)) {
  setWindowTitle(tr("Live Capture"));
  status_->setWordWrap(true);
  auto devices = capture::listDevices();
  if (!devices) {
    status_->setText(tr("Cannot list interfaces: %1").arg(QString::fromStdString(devices.error().message())));
  } else {
    for (const auto& d : devices.value()) {
      QString text = QString::fromStdString(d.name);
      if (!d.description.empty()) text += QStringLiteral(" — ") + QString::fromStdString(d.description);
      else if (d.loopback) text += tr(" — loopback (where the labs run)");
      devices_->addItem(text, QString::fromStdString(d.name));
    }
    const int lo = devices_->findData(QStringLiteral("lo"));
    if (lo >= 0) devices_->setCurrentIndex(lo);
  }
  filter_->setToolTip(tr("A BPF filter, as for tcpdump: e.g. \"tcp port 4433\""));
  auto* form = new QFormLayout;
  form->addRow(tr("&Interface:"), devices_);
  form->addRow(tr("&Filter (BPF):"), filter_);
  keyLog_->setPlaceholderText(tr("optional: SSLKEYLOGFILE path, read as it grows"));
  form->addRow(tr("&Key log:"), keyLog_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  auto* start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
  start->setEnabled(devices_->count() > 0);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(status_);
  layout->addWidget(new QLabel(tr("Capturing needs root or CAP_NET_RAW (e.g. <tt>sudo setcap cap_net_raw+ep tlslab-gui</tt>)."), this));
  layout->addWidget(buttons);
}

LiveRequest LiveCaptureDialog::request() const {
  return {devices_->currentData().toString(), filter_->text().trimmed(), keyLog_->text().trimmed()};
}

}  // namespace tlslab::gui
