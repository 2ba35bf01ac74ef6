#include "ConnectionsModel.hpp"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QPalette>

#include "ConnectionState.hpp"

namespace tlslab::gui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

QString endpoint(const std::string& address, const std::string& label, const std::string& fallback) {
  // Lab runs name their ends ("victim", "proxy"); captures only have addresses.
  if (label.empty() || label == fallback) return qs(address);
  return QStringLiteral("%1 (%2)").arg(qs(label), qs(address));
}

// Red/amber/green that stay readable on light and dark palettes.
QColor stateColor(ConnectionState state) {
  bool dark = QApplication::palette().color(QPalette::Base).lightness() < 128;
  switch (state) {
    case ConnectionState::Ok: return dark ? QColor(0x7c, 0xd9, 0x92) : QColor(0x1b, 0x7f, 0x3b);
    case ConnectionState::Alert:
    case ConnectionState::VerificationFailed: return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    case ConnectionState::NotDecryptable:
    case ConnectionState::Incomplete:
    default: return dark ? QColor(0xff, 0xcc, 0x66) : QColor(0xa8, 0x62, 0x00);
  }
}
}  // namespace

ConnectionsModel::ConnectionsModel(QObject* parent)
    : QAbstractTableModel(parent), trace_(std::make_shared<const model::Trace>()) {}

void ConnectionsModel::setTrace(std::shared_ptr<const model::Trace> trace) {
  beginResetModel();
  trace_ = trace ? std::move(trace) : std::make_shared<const model::Trace>();
  endResetModel();
}

int ConnectionsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(trace_->connections.size());
}

int ConnectionsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ConnectionsModel::display(const model::TraceConnection& c, int column) const {
  const auto& n = c.negotiated;
  switch (column) {
    case Index: return static_cast<qulonglong>(c.index);
    case Client: return endpoint(c.client, c.clientLabel, "client");
    case Server: return endpoint(c.server, c.serverLabel, "server");
    case Sni: return n.sni.empty() ? QStringLiteral("—") : qs(n.sni);
    case Version: {
      QString v = versionText(n.version);
      if (!c.startTlsProtocol.empty()) v += QStringLiteral(" (%1 STARTTLS)").arg(qs(c.startTlsProtocol));
      if (n.resumption != model::Resumption::None) v += QStringLiteral(", resumed");
      return v;
    }
    case Suite: return n.suiteName.empty() ? QStringLiteral("—") : qs(n.suiteName);
    case Records: return static_cast<qulonglong>(c.records.size());
    case State: return connectionStateText(c);
    default: return {};
  }
}

QVariant ConnectionsModel::tooltip(const model::TraceConnection& c, int column) const {
  switch (column) {
    case Version:
      return QStringLiteral("Negotiated protocol version%1%2")
          .arg(c.negotiated.group.empty() ? QString() : QStringLiteral(", key exchange group %1").arg(qs(c.negotiated.group)),
               c.negotiated.alpn.empty() ? QString() : QStringLiteral(", ALPN %1").arg(qs(c.negotiated.alpn)));
    case Suite: return QStringLiteral("The cipher suite the server chose: it fixes the record cipher and the hash of the key schedule");
    case Sni: return QStringLiteral("server_name (SNI): the host name the client asked for, sent in clear in the ClientHello");
    case State: return qs(c.decryption.text.empty() ? c.state.text : c.state.text + " — " + c.decryption.text);
    default: return {};
  }
}

QVariant ConnectionsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto& c = trace_->connections[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole: return display(c, index.column());
    case Qt::ToolTipRole: return tooltip(c, index.column());
    case SortRole:
      if (index.column() == Index) return static_cast<qulonglong>(c.index);
      if (index.column() == Records) return static_cast<qulonglong>(c.records.size());
      return display(c, index.column());
    case Qt::ForegroundRole:
      if (index.column() == State) return stateColor(connectionState(c));
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == Index || index.column() == Records) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    default: return {};
  }
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Index: return tr("#");
    case Client: return tr("Client");
    case Server: return tr("Server");
    case Sni: return tr("SNI");
    case Version: return tr("Version");
    case Suite: return tr("Cipher suite");
    case Records: return tr("Records");
    case State: return tr("State");
    default: return {};
  }
}

}  // namespace tlslab::gui
