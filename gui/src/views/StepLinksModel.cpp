#include "views/StepLinksModel.hpp"

#include <QColor>
#include <QPalette>

#include <algorithm>

namespace tlslab::gui::views {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString sides(const model::TraceConnection& c, model::Direction d) {
  const bool fromClient = d == model::Direction::ClientToServer;
  return QStringLiteral("%1 → %2").arg(qs(fromClient ? c.clientLabel : c.serverLabel), qs(fromClient ? c.serverLabel : c.clientLabel));
}

}  // namespace

void StepLinksModel::setStep(const model::DerivationStep* step, const model::TraceConnection* c) {
  beginResetModel();
  rows_.clear();
  if (step != nullptr && c != nullptr) {
    for (std::size_t m : step->messages) {
      if (m >= c->messages.size()) continue;
      const auto& msg = c->messages[m];
      rows_.push_back({Kind::Message, static_cast<int>(m),
                       tr("hashed: %1 · %2").arg(qs(msg.name), sides(*c, msg.direction)),
                       tr("Message %1 goes into this value (its transcript hash, randoms or key share); click to "
                          "open it").arg(m)});
    }
    for (std::size_t r : step->records) {
      if (r >= c->records.size()) continue;
      const auto& rec = c->records[r];
      QString what = rec.keyPhase.empty() ? tr("protected") : tr("%1 keys").arg(qs(rec.keyPhase.name()));
      if (!rec.undecryptedReason.empty()) what += tr(", not opened");
      rows_.push_back({Kind::Record, static_cast<int>(r),
                       tr("protects record #%1 · %2 · %3").arg(r).arg(sides(*c, rec.direction), what),
                       tr("This key encrypts record %1; click to open it").arg(r)});
    }
  }
  endResetModel();
}

int StepLinksModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant StepLinksModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole: return row.text;
    case Qt::ToolTipRole: return row.tip;
    // The ladder's marks: amber for what is hashed, teal for what is protected.
    case Qt::DecorationRole: return row.kind == Kind::Message ? QColor(0xd0, 0x90, 0x00) : QColor(0x0f, 0x8f, 0x80);
    case KindRole: return static_cast<int>(row.kind);
    case IndexRole: return row.index;
    default: return {};
  }
}

int StepLinksModel::count(Kind kind) const {
  return static_cast<int>(std::count_if(rows_.begin(), rows_.end(), [kind](const Row& r) { return r.kind == kind; }));
}

}  // namespace tlslab::gui::views
