#pragma once
// Certificates and verification of one connection:
//  - the verdict in one line (✓ verified, or the first error, its depth and
//    OpenSSL's reason), then the verify trace step by step (VerifyStepsModel;
//    "every callback call" shows the raw callback order);
//  - the chain the peer sent, each certificate decoded into fields by
//    pki::describeCertificate (the core's decoder; no OpenSSL here);
//  - for MITM runs, the leaf the victim saw next to the leaf the real server
//    sent (scenarios::compareLeaves), differing rows marked.
// Selecting a verify step selects that depth's certificate in the chain.
//
//   setChain(der, title)                 leaf first, DER
//   setVerification(verdict)             nullopt: not recorded (captures)
//   setConnection(connection)            server chain + server verification; when
//                                        the client sent a chain too (client
//                                        auth), a selector switches sides
//   setSide(Server | Client)             which side's chain and verification
//   setMitmComparison(victimLeaf, serverLeaf)  shows the comparison panel
//   differenceCount()                    rows that differ (-1 when no comparison)
#include <QWidget>
#include <optional>
#include <vector>

#include "tlslab/model/Trace.hpp"
#include "tlslab/model/Verify.hpp"
#include "tlslab/util/Bytes.hpp"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QSplitter;
class QTableView;
class QTableWidget;

namespace tlslab::gui::views {

class FieldTreeView;
class VerifyStepsModel;

class CertificatesView : public QWidget {
  Q_OBJECT
 public:
  enum class Side { Server, Client };

  explicit CertificatesView(QWidget* parent = nullptr);

  void setChain(const std::vector<Bytes>& der, const QString& title = {});
  void setVerification(const std::optional<model::VerifyVerdict>& verdict);
  void setConnection(const model::TraceConnection& connection);
  void setMitmComparison(const Bytes& victimLeaf, const Bytes& serverLeaf, const QString& victimLabel = {},
                         const QString& serverLabel = {});
  void clearMitmComparison();
  void clear();
  void setSide(Side side);
  Side side() const { return side_; }
  QComboBox* sideSelector() const { return sideBox_; }

  QString verdictText() const;
  int differenceCount() const { return differences_; }
  FieldTreeView* chainView() const { return chain_; }
  QTableView* verifyTable() const { return verifyTable_; }
  VerifyStepsModel* verifyModel() const { return verifyModel_; }
  QTableWidget* comparisonTable() const { return comparison_; }
  QCheckBox* eventsToggle() const { return events_; }

 private:
  void selectDepth(int depth);

  struct Chain {
    std::vector<Bytes> der;
    std::optional<model::VerifyVerdict> verification;
    QString title;
  };
  Chain chains_[2];
  Side side_ = Side::Server;
  QComboBox* sideBox_;
  QLabel* verdict_;
  QLabel* chainTitle_;
  QCheckBox* events_;
  QTableView* verifyTable_;
  VerifyStepsModel* verifyModel_;
  FieldTreeView* chain_;
  QGroupBox* mitmBox_;
  QLabel* mitmSummary_;
  QTableWidget* comparison_;
  int differences_ = -1;
};

}  // namespace tlslab::gui::views
