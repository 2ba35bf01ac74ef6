// The connections table over real lab runs: model checks, labels, states,
// the filter box and selection linking.
#include <gtest/gtest.h>

#include <algorithm>

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "ConnectionState.hpp"
#include "ConnectionsModel.hpp"
#include "ConnectionsPane.hpp"
#include "GuiTestSupport.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {
namespace {

QString cell(const QAbstractItemModel& m, int row, int column) { return m.index(row, column).data().toString(); }

TEST(ConnectionsModel, PassesQAbstractItemModelTesterOnAMitmRun) {
  test::app();
  ConnectionsModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setTrace(test::labTrace(test::mitmRequest()));
  model.setTrace({});
  model.setTrace(test::labTrace(test::handshakeRequest("1.2")));
}

TEST(ConnectionsModel, MitmRunShowsBothLegsWithTheirRoles) {
  test::app();
  ConnectionsModel model;
  model.setTrace(test::labTrace(test::mitmRequest()));
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_TRUE(cell(model, 0, ConnectionsModel::Client).startsWith("victim"));
  EXPECT_TRUE(cell(model, 0, ConnectionsModel::Server).startsWith("proxy"));
  EXPECT_TRUE(cell(model, 1, ConnectionsModel::Client).startsWith("proxy"));
  EXPECT_EQ(cell(model, 0, ConnectionsModel::Sni), "bank32.com");
  EXPECT_EQ(cell(model, 0, ConnectionsModel::Version), "TLS 1.3");
  EXPECT_FALSE(cell(model, 0, ConnectionsModel::Suite).isEmpty());
}

TEST(ConnectionsModel, Tls12RunShowsVersionAndOkState) {
  test::app();
  ConnectionsModel model;
  auto trace = test::labTrace(test::handshakeRequest("1.2"));
  model.setTrace(trace);
  ASSERT_EQ(model.rowCount(), 1);
  EXPECT_EQ(cell(model, 0, ConnectionsModel::Version), "TLS 1.2");
  EXPECT_EQ(connectionState(trace->connections[0]), ConnectionState::Ok) << trace->connections[0].state.text;
}

TEST(ConnectionsModel, CorrectVictimShowsFailedVerification) {
  test::app();
  auto trace = test::labTrace(test::mitmRequest(scenarios::VictimMode::Correct));
  ASSERT_FALSE(trace->connections.empty());
  const auto& victim = trace->connections[0];
  EXPECT_EQ(victim.clientLabel, "victim");
  EXPECT_EQ(connectionState(victim), ConnectionState::VerificationFailed);
  EXPECT_TRUE(connectionStateText(victim).contains("hostname mismatch")) << connectionStateText(victim).toStdString();
}

// The run's capture holds what the proxy wrote even where the aborting victim
// stopped reading: its CertificateVerify and Finished (from both sides' writes).
TEST(ConnectionsModel, CorrectVictimsLegHasEveryMessageTheProxySent) {
  test::app();
  auto trace = test::labTrace(test::mitmRequest(scenarios::VictimMode::Correct));
  ASSERT_FALSE(trace->connections.empty());
  std::vector<std::string> names;
  for (const auto& m : trace->connections[0].messages) names.push_back(m.name);
  EXPECT_NE(std::find(names.begin(), names.end(), "CertificateVerify"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "Finished"), names.end());
}

TEST(ConnectionsPane, FilterBoxHidesRowsThatDoNotMatch) {
  test::app();
  TraceDocument doc;
  ConnectionsPane pane(&doc);
  doc.setTrace(test::labTrace(test::mitmRequest()));
  EXPECT_EQ(pane.proxy()->rowCount(), 2);
  pane.filterEdit()->setText("victim");
  EXPECT_EQ(pane.proxy()->rowCount(), 1);
  pane.filterEdit()->setText("no such connection");
  EXPECT_EQ(pane.proxy()->rowCount(), 0);
  pane.filterEdit()->clear();
  EXPECT_EQ(pane.proxy()->rowCount(), 2);
}

TEST(ConnectionsPane, SelectionIsLinkedBothWays) {
  test::app();
  TraceDocument doc;
  ConnectionsPane pane(&doc);
  doc.setTrace(test::labTrace(test::mitmRequest()));
  // Table -> document.
  pane.table()->selectRow(1);
  EXPECT_EQ(doc.connection(), pane.proxy()->mapToSource(pane.proxy()->index(1, 0)).row());
  // Document -> table.
  doc.selectConnection(0);
  const auto rows = pane.table()->selectionModel()->selectedRows();
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(pane.proxy()->mapToSource(rows.first()).row(), 0);
}

}  // namespace
}  // namespace tlslab::gui
