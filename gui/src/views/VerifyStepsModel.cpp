#include "views/VerifyStepsModel.hpp"

#include <QApplication>
#include <QPalette>

#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {

namespace {
const std::vector<model::VerifyStep> kNoSteps;
}

VerifyStepsModel::VerifyStepsModel(QObject* parent) : QAbstractTableModel(parent) {}

void VerifyStepsModel::setVerdict(std::optional<model::VerifyVerdict> verdict) {
  beginResetModel();
  verdict_ = std::move(verdict);
  endResetModel();
}

void VerifyStepsModel::setShowEvents(bool events) {
  if (events == events_) return;
  beginResetModel();
  events_ = events;
  endResetModel();
}

const std::vector<model::VerifyStep>& VerifyStepsModel::rows() const {
  if (!verdict_) return kNoSteps;
  return events_ ? verdict_->events : verdict_->steps;
}

const model::VerifyStep* VerifyStepsModel::stepAt(int row) const {
  const auto& r = rows();
  return row >= 0 && static_cast<std::size_t>(row) < r.size() ? &r[static_cast<std::size_t>(row)] : nullptr;
}

int VerifyStepsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows().size());
}

int VerifyStepsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant VerifyStepsModel::data(const QModelIndex& index, int role) const {
  const model::VerifyStep* s = index.isValid() ? stepAt(index.row()) : nullptr;
  if (s == nullptr) return {};
  auto str = [](const std::string& v) { return QString::fromStdString(v); };
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case DepthColumn: return s->depth == 0 ? tr("0 (leaf)") : QString::number(s->depth);
        case SubjectColumn: return str(s->subject);
        case IssuerColumn: return str(s->issuer);
        case ValidityColumn: return QStringLiteral("%1 → %2").arg(str(s->notBefore), str(s->notAfter));
        case ResultColumn: return s->ok ? tr("✓ ok") : QStringLiteral("✗ ") + str(s->errorName);
        case ReasonColumn: return s->ok ? QString() : str(s->errorText);
        default: return {};
      }
    case Qt::ForegroundRole:
      if (index.column() == ResultColumn || (!s->ok && index.column() == ReasonColumn))
        return toneColor(s->ok ? Tone::Good : Tone::Bad, QApplication::palette());
      return {};
    case Qt::ToolTipRole:
      if (!s->ok) {
        return tr("%1 (code %2): %3").arg(str(s->errorName)).arg(s->errorCode).arg(str(s->errorText));
      }
      return index.column() == SubjectColumn || index.column() == IssuerColumn ? index.data().toString() : QVariant{};
    case OkRole: return s->ok;
    case DepthRole: return s->depth;
    default: return {};
  }
}

QVariant VerifyStepsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case DepthColumn: return tr("Depth");
    case SubjectColumn: return tr("Subject");
    case IssuerColumn: return tr("Issuer");
    case ValidityColumn: return tr("Valid");
    case ResultColumn: return tr("Result");
    case ReasonColumn: return tr("OpenSSL's reason");
    default: return {};
  }
}

}  // namespace tlslab::gui::views
