// TraceDocument: the selection hub over a Trace from a real TLS 1.3 lab run.
#include <gtest/gtest.h>

#include <QSignalSpy>

#include "GuiTestSupport.hpp"
#include "TraceDocument.hpp"

namespace tlslab::gui {
namespace {

using test::labTrace;

TEST(TraceDocument, NewTraceSelectsTheFirstConnection) {
  test::app();
  TraceDocument doc;
  QSignalSpy traceSpy(&doc, &TraceDocument::traceChanged);
  doc.setTrace(labTrace(test::handshakeRequest("1.3")));
  ASSERT_FALSE(doc.isEmpty());
  EXPECT_EQ(traceSpy.count(), 1);
  EXPECT_EQ(doc.connection(), 0);
  EXPECT_EQ(doc.record(), -1);
  EXPECT_EQ(doc.message(), -1);
}

TEST(TraceDocument, SelectingAMessageSelectsTheRecordItStartsIn) {
  test::app();
  TraceDocument doc;
  doc.setTrace(labTrace(test::handshakeRequest("1.3")));
  const auto& c = doc.trace().connections.at(0);
  ASSERT_GE(c.messages.size(), 3u);
  QSignalSpy recordSpy(&doc, &TraceDocument::recordSelected);
  doc.selectMessage(0, 2);
  EXPECT_EQ(doc.message(), 2);
  EXPECT_EQ(doc.record(), static_cast<int>(c.messages[2].firstRecord));
  EXPECT_EQ(recordSpy.count(), 1);
  ASSERT_NE(doc.currentMessage(), nullptr);
  EXPECT_EQ(doc.currentMessage()->name, c.messages[2].name);
}

TEST(TraceDocument, SelectingARecordSelectsItsFirstMessage) {
  test::app();
  TraceDocument doc;
  doc.setTrace(labTrace(test::handshakeRequest("1.3")));
  doc.selectRecord(0, 0);
  ASSERT_NE(doc.currentMessage(), nullptr);
  EXPECT_EQ(doc.currentMessage()->name, "ClientHello");
}

TEST(TraceDocument, ReselectingTheSameRecordEmitsNothing) {
  test::app();
  TraceDocument doc;
  doc.setTrace(labTrace(test::handshakeRequest("1.3")));
  doc.selectRecord(0, 1);
  QSignalSpy spy(&doc, &TraceDocument::selectionChanged);
  doc.selectRecord(0, 1);
  doc.selectConnection(0);
  EXPECT_EQ(spy.count(), 0);
}

TEST(TraceDocument, OutOfRangeSelectionClearsInsteadOfCrashing) {
  test::app();
  TraceDocument doc;
  doc.setTrace(labTrace(test::handshakeRequest("1.3")));
  doc.selectRecord(0, 100000);
  EXPECT_EQ(doc.connection(), 0);
  EXPECT_EQ(doc.record(), -1);
  doc.selectMessage(7, 0);
  EXPECT_EQ(doc.connection(), -1);
  EXPECT_EQ(doc.currentConnection(), nullptr);
}

}  // namespace
}  // namespace tlslab::gui
