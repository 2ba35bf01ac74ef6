#pragma once
// What one key-schedule step points at in its connection, as list rows: the
// messages its transcript hash (or randoms, or key shares) covers, then the
// records its key protects. A thin adapter over model::DerivationStep's
// `messages` and `records`, named from the connection.
#include <QAbstractListModel>

#include <vector>

#include "tlslab/model/Trace.hpp"

namespace tlslab::gui::views {

class StepLinksModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum class Kind { Message, Record };
  enum Role { KindRole = Qt::UserRole + 1, IndexRole };

  explicit StepLinksModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  // `connection` may be null (steps shown without a trace): no rows then.
  void setStep(const model::DerivationStep* step, const model::TraceConnection* connection);
  void clear() { setStep(nullptr, nullptr); }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  Kind kind(int row) const { return rows_.at(static_cast<std::size_t>(row)).kind; }
  int target(int row) const { return rows_.at(static_cast<std::size_t>(row)).index; }
  int count(Kind kind) const;

 private:
  struct Row {
    Kind kind;
    int index;
    QString text;
    QString tip;
  };
  std::vector<Row> rows_;
};

}  // namespace tlslab::gui::views
