#pragma once
// Shared by the shell_key_schedule*_test.cpp files: the "Key derivation" tab
// and a ladder on one TraceDocument, as the main window wires them.
//
// Endpoint headers first: endpoints/Events.hpp has a member named emit(),
// which Qt's `emit` keyword macro would otherwise swallow.
#include "dissect/DissectTestUtil.hpp"

#include <QTest>

#include "GuiTestSupport.hpp"
#include "KeyDerivationPane.hpp"
#include "KeyScheduleLayout.hpp"
#include "LadderView.hpp"
#include "TraceDocument.hpp"
#include "views/KeyScheduleView.hpp"

namespace tlslab::gui::test {

using N = model::ScheduleNode;

struct Shell {
  TraceDocument document;
  LadderView ladder{&document};
  KeyDerivationPane pane{&document};

  explicit Shell(std::shared_ptr<const model::Trace> trace) {
    pane.resize(900, 900);
    ladder.resize(600, 800);
    document.setTrace(std::move(trace));
  }
  const model::TraceConnection& connection() const { return *document.currentConnection(); }
  const ScheduleBox& box(N node) const {
    const int i = pane.picture()->layout().find(node);
    EXPECT_GE(i, 0) << model::scheduleNodeName(node);
    static const ScheduleBox none;
    return i < 0 ? none : pane.picture()->layout().boxes[static_cast<std::size_t>(i)];
  }
  void click(N node) {
    const int i = pane.picture()->layout().find(node);
    ASSERT_GE(i, 0);
    QTest::mouseClick(pane.picture()->viewport(), Qt::LeftButton, {}, pane.picture()->boxPoint(i));
  }
  // The ladder's arrows the document's marks touch, by kind.
  std::vector<int> markedRecords(ArrowMark kind) const {
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(ladder.layout().arrows.size()); ++i)
      if (ladder.markOf(i) == kind || (ladder.markOf(i) == ArrowMark::Both && kind != ArrowMark::None))
        out.push_back(ladder.layout().arrows[static_cast<std::size_t>(i)].record);
    return out;
  }
};

inline std::vector<int> ints(const std::vector<std::size_t>& v) { return {v.begin(), v.end()}; }

// The picture holds together on any run: no two boxes overlap, each is hit at
// its centre, and every arrow ends on the box it feeds.
inline void expectSoundGeometry(const KeyScheduleLayout& layout) {
  for (std::size_t i = 0; i < layout.boxes.size(); ++i) {
    EXPECT_EQ(layout.boxAt(layout.boxes[i].rect.center()), static_cast<int>(i)) << layout.boxes[i].title.toStdString();
    for (std::size_t j = i + 1; j < layout.boxes.size(); ++j)
      EXPECT_FALSE(layout.boxes[i].rect.intersects(layout.boxes[j].rect))
          << layout.boxes[i].title.toStdString() << " / " << layout.boxes[j].title.toStdString();
  }
  for (const auto& edge : layout.edges) {
    ASSERT_GE(edge.to, 0);
    const QRectF to = layout.boxes[static_cast<std::size_t>(edge.to)].rect.adjusted(-0.5, -0.5, 0.5, 0.5);
    EXPECT_TRUE(to.contains(edge.points.back())) << layout.boxes[static_cast<std::size_t>(edge.to)].title.toStdString();
  }
}

}  // namespace tlslab::gui::test
