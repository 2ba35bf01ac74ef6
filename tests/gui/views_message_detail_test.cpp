// The message detail view on a real RFC 8448 ClientHello (RFC 8448 §3, parsed
// by wire::parseHandshakeMessage): field tree and hex view linked both ways.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QTest>

#include "ViewsTestSupport.hpp"
#include "support/Rfc8448.hpp"
#include "tlslab/wire/Messages.hpp"
#include "views/FieldTreeModel.hpp"
#include "views/FieldTreeView.hpp"
#include "views/HexView.hpp"
#include "views/MessageDetailView.hpp"

namespace tlslab::gui::views {
namespace {

using test::app;

model::Field clientHelloTree() {
  const auto message = wire::parseHandshakeMessage(tlslab::test::rfc8448::simple1Rtt().clientHello);
  EXPECT_TRUE(message.ok());
  return message.tree;
}

struct DetailFixture {
  QApplication& application = app();  // before any widget member
  MessageDetailView view;
  DetailFixture() {
    view.resize(900, 700);
    view.setMessage(tlslab::test::rfc8448::simple1Rtt().clientHello, clientHelloTree());
    view.show();
    EXPECT_TRUE(QTest::qWaitForWindowExposed(&view));
  }
};

TEST(FieldTreeModel, PassesTheModelTesterWithAndWithoutARootRow) {
  app();
  FieldTreeModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRoot(clientHelloTree(), true);
  EXPECT_EQ(model.rowCount(), 1);
  EXPECT_GT(model.rowCount(model.index(0, 0)), 3);
  model.setRoot(clientHelloTree(), false);
  EXPECT_EQ(static_cast<std::size_t>(model.rowCount()), clientHelloTree().children.size());
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
}

TEST(FieldTreeModel, ShowsNameValueMeaningAndRfcOfEachField) {
  app();
  FieldTreeModel model;
  const model::Field tree = clientHelloTree();
  model.setRoot(tree);
  const model::Field* suites = model::findField(model.root(), "cipher_suites");
  ASSERT_NE(suites, nullptr);
  const QModelIndex index = model.indexOf(suites);
  EXPECT_EQ(index.data().toString(), "cipher_suites");
  EXPECT_EQ(index.siblingAtColumn(FieldTreeModel::ValueColumn).data().toString().toStdString(), suites->value);
  EXPECT_EQ(index.siblingAtColumn(FieldTreeModel::MeaningColumn).data().toString().toStdString(), suites->meaning);
  EXPECT_EQ(index.siblingAtColumn(FieldTreeModel::RfcColumn).data().toString().toStdString(), suites->rfc);
  EXPECT_EQ(index.data(FieldTreeModel::OffsetRole).toULongLong(), suites->offset);
  EXPECT_EQ(model.fieldAt(index), suites);
}

TEST(FieldTreeModel, MarksMalformedNodes) {
  app();
  // A ClientHello cut short inside the cipher suites: the parser marks nodes.
  Bytes truncated = tlslab::test::rfc8448::simple1Rtt().clientHello;
  truncated.resize(60);
  const auto message = wire::parseHandshakeMessage(truncated);
  FieldTreeModel model;
  model.setRoot(message.tree);
  int malformed = 0, saysWhy = 0;
  std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
    for (int r = 0; r < model.rowCount(parent); ++r) {
      const QModelIndex i = model.index(r, 0, parent);
      if (i.data(FieldTreeModel::MalformedRole).toBool()) {
        ++malformed;
        EXPECT_TRUE(i.data(Qt::ForegroundRole).isValid());
        EXPECT_FALSE(i.data(Qt::DecorationRole).isNull());
        // A node that carries its own finding says what is wrong in its tooltip.
        const QString tip = i.data(Qt::ToolTipRole).toString();
        EXPECT_TRUE(tip.contains("Malformed:")) << tip.toStdString();
        for (const auto& d : message.diagnostics)
          if (tip.contains(QString::fromStdString(d.message).toHtmlEscaped())) ++saysWhy;
      }
      walk(i);
    }
  };
  walk({});
  EXPECT_GT(malformed, 0);
  EXPECT_GT(saysWhy, 0) << "the field where the read broke shows the reader's message";
  ASSERT_FALSE(message.diagnostics.empty());
  EXPECT_EQ(message.diagnostics.front().code, model::DiagnosticCode::Truncated);
}

TEST(MessageDetailView, SelectingAFieldHighlightsExactlyItsBytes) {
  DetailFixture f;
  ASSERT_TRUE(f.view.selectField("cipher_suites"));
  const model::Field* field = f.view.treeView()->currentField();
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(field->name, "cipher_suites");
  EXPECT_EQ(f.view.hexView()->selection(), (ByteRange{field->offset, field->length}));
  // The RFC 8448 ClientHello offers three suites: 2-byte length + 3 x 2 bytes.
  EXPECT_EQ(f.view.hexView()->selectedHex().left(4), "0006");
}

TEST(MessageDetailView, ClickingAByteSelectsTheDeepestFieldContainingIt) {
  DetailFixture f;
  const model::Field* random = model::findField(f.view.treeView()->fieldModel()->root(), "random");
  ASSERT_NE(random, nullptr);
  HexView* hex = f.view.hexView();
  const std::size_t inside = random->offset + 5;
  QTest::mouseClick(hex->viewport(), Qt::LeftButton, {}, hex->hexCellRect(inside).center());
  const model::Field* current = f.view.treeView()->currentField();
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->name, "random");
  EXPECT_EQ(hex->selection(), (ByteRange{random->offset, random->length}));
  // The ASCII column is linked too: byte 0 is the handshake type.
  EXPECT_EQ(hex->byteAt(hex->hexCellRect(0).center()), 0);
}

TEST(MessageDetailView, ArrowKeysWalkFromFieldToField) {
  DetailFixture f;
  const model::Field& root = f.view.treeView()->fieldModel()->root();
  const model::Field* random = model::findField(root, "random");
  ASSERT_NE(random, nullptr);
  HexView* hex = f.view.hexView();
  hex->setFocus();
  QTest::mouseClick(hex->viewport(), Qt::LeftButton, {}, hex->hexCellRect(random->offset + random->length - 1).center());
  ASSERT_EQ(f.view.treeView()->currentField(), random);
  // One step right leaves the random and lands in the next field (session id).
  QTest::keyClick(hex, Qt::Key_Right);
  const model::Field* next = f.view.treeView()->currentField();
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next, random);
  EXPECT_LE(next->offset, random->offset + random->length);
  EXPECT_GT(next->offset + next->length, random->offset + random->length);
  EXPECT_EQ(hex->selection(), (ByteRange{next->offset, next->length}));
}

TEST(MessageDetailView, DraggingOverTwoFieldsSelectsTheirParent) {
  DetailFixture f;
  const model::Field& root = f.view.treeView()->fieldModel()->root();
  const model::Field* version = model::findField(root, "legacy_version");
  const model::Field* random = model::findField(root, "random");
  ASSERT_NE(version, nullptr);
  ASSERT_NE(random, nullptr);
  HexView* hex = f.view.hexView();
  QTest::mousePress(hex->viewport(), Qt::LeftButton, {}, hex->hexCellRect(version->offset).center());
  QTest::mouseMove(hex->viewport(), hex->hexCellRect(random->offset + 1).center());
  QTest::mouseRelease(hex->viewport(), Qt::LeftButton, {}, hex->hexCellRect(random->offset + 1).center());
  const model::Field* current = f.view.treeView()->currentField();
  ASSERT_NE(current, nullptr);
  EXPECT_LE(current->offset, version->offset);
  EXPECT_GE(current->offset + current->length, random->offset + 2);
  EXPECT_NE(current, version);
  EXPECT_NE(current, random);
}

TEST(MessageDetailView, HoveringAByteNamesItsField) {
  DetailFixture f;
  const model::Field* random = model::findField(f.view.treeView()->fieldModel()->root(), "random");
  ASSERT_NE(random, nullptr);
  const QString tip = f.view.hexView()->toolTipFor(random->offset + 1);
  EXPECT_TRUE(tip.contains("<b>random</b>")) << tip.toStdString();
  EXPECT_TRUE(tip.contains(QString::fromStdString(random->meaning.str()).toHtmlEscaped()));
  EXPECT_TRUE(tip.contains(QStringLiteral("byte %1").arg(random->offset + 1)));
}

TEST(FieldTreeView, CtrlCCopiesTheCurrentFieldsNameAndValue) {
  DetailFixture f;
  ASSERT_TRUE(f.view.selectField("legacy_version"));
  QTest::keySequence(f.view.treeView(), QKeySequence::Copy);
  EXPECT_EQ(QApplication::clipboard()->text().toStdString(), "legacy_version: " + f.view.treeView()->currentField()->value);
}

TEST(HexView, CopiesTheSelectionAsHex) {
  app();
  HexView hex;
  const Bytes bytes = {0x16, 0x03, 0x01, 0x00, 0xf8, 0x01};
  hex.setBytes(bytes);
  hex.setSelection(1, 2);
  QTest::keySequence(&hex, QKeySequence::Copy);
  EXPECT_EQ(QApplication::clipboard()->text(), "0301");
  hex.clearSelection();
  hex.copyAsHex();
  EXPECT_EQ(QApplication::clipboard()->text(), "16030100f801");
}

TEST(HexView, ShiftArrowsExtendTheSelectionAndEmitIt) {
  app();
  HexView hex;
  Bytes bytes(64, 0x41);
  hex.setBytes(bytes);
  std::vector<ByteRange> emitted;
  QObject::connect(&hex, &HexView::bytesSelected,
                   [&](std::size_t offset, std::size_t length) { emitted.push_back({offset, length}); });
  QTest::keyClick(&hex, Qt::Key_Down);                        // cursor to byte 16
  QTest::keyClick(&hex, Qt::Key_Right, Qt::ShiftModifier);    // 16..17
  QTest::keyClick(&hex, Qt::Key_Right, Qt::ShiftModifier);    // 16..18
  ASSERT_EQ(emitted.size(), 3u);
  EXPECT_EQ(emitted.back(), (ByteRange{16, 3}));
  EXPECT_EQ(hex.selection(), (ByteRange{16, 3}));
  QTest::keyClick(&hex, Qt::Key_End, Qt::ControlModifier);
  EXPECT_EQ(hex.selection(), (ByteRange{63, 1}));
}

TEST(MessageDetailView, RendersForALookAtIt) {
  DetailFixture f;
  f.view.selectField("cipher_suites");
  test::maybeSavePng(f.view, "message_detail");
  SUCCEED();
}

}  // namespace
}  // namespace tlslab::gui::views
