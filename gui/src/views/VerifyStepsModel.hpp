#pragma once
// A table over a model::VerifyVerdict: one row per chain depth (or, with
// showEvents, one per verify-callback call, in order). Columns: depth,
// result (✓ / ✗ error name), OpenSSL's reason, subject, issuer, validity.
#include <QAbstractTableModel>
#include <optional>

#include "tlslab/model/Verify.hpp"

namespace tlslab::gui::views {

class VerifyStepsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  // Result and reason first: they are the story; names and dates explain it.
  enum Column { DepthColumn, ResultColumn, ReasonColumn, SubjectColumn, IssuerColumn, ValidityColumn, ColumnCount };
  enum Role { OkRole = Qt::UserRole + 1, DepthRole };

  explicit VerifyStepsModel(QObject* parent = nullptr);

  void setVerdict(std::optional<model::VerifyVerdict> verdict);
  const std::optional<model::VerifyVerdict>& verdict() const { return verdict_; }
  void setShowEvents(bool events);
  bool showEvents() const { return events_; }
  const model::VerifyStep* stepAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  const std::vector<model::VerifyStep>& rows() const;

  std::optional<model::VerifyVerdict> verdict_;
  bool events_ = false;
};

}  // namespace tlslab::gui::views
