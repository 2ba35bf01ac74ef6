#pragma once
// Internal to KeyScheduleLayout.cpp: the column geometry of the picture and
// the Builder that places one box per schedule node (the step that says most
// when several fill a node) and draws the arrows between them.
#include <QObject>

#include <algorithm>
#include <map>

#include "KeyScheduleLayout.hpp"
#include "tlslab/crypto/SecretKind.hpp"

namespace tlslab::gui::schedule {

using N = model::ScheduleNode;
using model::StepStatus;

// Columns: inputs, the spine of extracts, Derive-Secret branches, the values
// made from a branch (keys, IVs, Finished). Each trunk runs in the gap
// between two columns, as the RFC's "+----->" does.
constexpr double kInX = 0, kInW = 100;
constexpr double kSpineX = 124, kSpineW = 176;
constexpr double kBranchX = 340, kBranchW = 262;
constexpr double kLeafX = 636, kLeafW = 160;
constexpr double kSpineTrunk = kSpineX + kSpineW + 20;
constexpr double kBranchTrunk = kBranchX + kBranchW + 17;
constexpr double kLargeH = 70, kSmallH = 40, kGap = 12, kChildGap = 6, kTop = 76;

inline QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

inline int priority(StepStatus status) {
  // Several steps can fill one node (an RSA recovery and the secret it
  // gives): show the one that says most, a check before a computation
  // before a given value before a gap.
  switch (status) {
    case StepStatus::Verified:
    case StepStatus::Failed: return 4;
    case StepStatus::Derived: return 3;
    case StepStatus::FromKeyLog: return 2;
    case StepStatus::NotDerivable: return 1;
    default: return 0;
  }
}

inline const crypto::SecretKindInfo* secretOf(N node) {
  for (const auto& info : crypto::allSecretKinds())
    if (info.node == node) return &info;
  return nullptr;
}

struct Child {
  N node;
  const char* title;
  bool optional = false;  // hidden when the derivation has no step for it
  bool fromSibling = false;  // made from the child above it (verify_data from finished_key), not the branch
};

struct Branch {
  N node;
  std::vector<Child> children;
  QString title = {};    // empty: the secret's RFC name
  QString caption = {};  // empty: its Derive-Secret label and transcript
};

class Builder {
 public:
  Builder(const std::vector<model::DerivationStep>& steps, KeyScheduleLayout& out) : steps_(steps), out_(out) {
    for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
      const auto& s = steps[static_cast<std::size_t>(i)];
      if (s.node == N::None) continue;
      auto it = best_.find(s.node);
      if (it == best_.end() || priority(s.status) > priority(steps[static_cast<std::size_t>(it->second)].status))
        best_[s.node] = i;
    }
  }

  bool has(N node) const { return best_.count(node) != 0; }

  // The box for `node`, or -1 when it is optional and the derivation has no step for it.
  int place(N node, QRectF rect, BoxSize size, QString title, QString caption = {}, bool optional = false) {
    const auto it = best_.find(node);
    if (it == best_.end() && optional) return -1;
    ScheduleBox box;
    box.node = node;
    box.rect = rect;
    box.size = size;
    box.title = std::move(title);
    box.caption = std::move(caption);
    if (it == best_.end()) {
      box.status = QObject::tr("no step");
    } else {
      const auto& s = steps_[static_cast<std::size_t>(it->second)];
      box.step = it->second;
      box.stepStatus = s.status;
      box.status = stepStatusText(s.status);
      box.value = !s.output.empty() ? shortHex(s.output) : !s.note.empty() ? qs(s.note) : QStringLiteral("—");
    }
    out_.boxes.push_back(std::move(box));
    return static_cast<int>(out_.boxes.size()) - 1;
  }

  void edge(int from, int to, std::vector<QPointF> points, QString label = {}) {
    if (to < 0 || (from < 0 && label.isEmpty())) return;
    out_.edges.push_back({from, to, std::move(points), std::move(label)});
  }
  const QRectF& rect(int box) const { return out_.boxes[static_cast<std::size_t>(box)].rect; }

  // Parent's right side -> trunk -> child's left side (the RFC's "+----->").
  void branch(int parent, int child, double trunkX) {
    if (parent < 0 || child < 0) return;
    const QRectF p = rect(parent), c = rect(child);
    const double from = std::min(p.center().y(), c.center().y());
    edge(parent, child, {{p.right(), from}, {trunkX, from}, {trunkX, c.center().y()}, {c.left(), c.center().y()}});
  }
  void down(int from, int to) {
    if (from < 0 || to < 0) return;
    edge(from, to, {{rect(from).center().x(), rect(from).bottom()}, {rect(to).center().x(), rect(to).top()}});
  }
  void input(int from, int to) {
    if (from < 0 || to < 0) return;
    edge(from, to, {{rect(from).right(), rect(to).center().y()}, {rect(to).left(), rect(to).center().y()}});
  }
  // A constant input ("0", "randoms") drawn as a label with an arrow, from the left or from above.
  void constant(const QString& label, int to, bool fromAbove = false) {
    if (to < 0) return;
    const QRectF r = rect(to);
    if (fromAbove) edge(-1, to, {{r.center().x(), r.top() - 24}, {r.center().x(), r.top()}}, label);
    else edge(-1, to, {{kInX + kInW - 6, r.center().y()}, {r.left(), r.center().y()}}, label);
  }

  // Branches of `parent` from y down, each with its children in the next
  // column; returns the y below the last.
  double branches(int parent, double y, const std::vector<Branch>& list) {
    for (const Branch& b : list) {
      const auto* info = secretOf(b.node);
      QString title = !b.title.isEmpty() ? b.title : info ? qs(info->name) : qs(model::scheduleNodeName(b.node));
      if (b.node == N::BinderKey) title = QStringLiteral("binder_key");
      QString caption = b.caption;
      if (caption.isEmpty() && info) {
        caption = b.node == N::BinderKey ? QStringLiteral("\"res binder\" | \"ext binder\", \"\"")
                                         : QStringLiteral("\"%1\", %2").arg(qs(info->hkdfLabel), qs(info->messages));
      }
      std::vector<const Child*> shown;
      for (const Child& c : b.children)
        if (!c.optional || has(c.node)) shown.push_back(&c);
      const double stack = shown.empty() ? 0 : shown.size() * kSmallH + (shown.size() - 1) * kChildGap;
      // A secret this connection did not derive, with nothing beside it, takes
      // less room: the picture keeps its place without a tall empty box.
      const double height = !has(b.node) && shown.empty() ? kSmallH : kLargeH;
      const int box = place(b.node, {kBranchX, y, kBranchW, height}, BoxSize::Large, title, caption);
      branch(parent, box, kSpineTrunk);
      double cy = y;
      int previous = -1;
      for (const Child* c : shown) {
        const int child = place(c->node, {kLeafX, cy, kLeafW, kSmallH}, BoxSize::Small, QObject::tr(c->title));
        if (c->fromSibling) down(previous, child);
        else branch(box, child, kBranchTrunk);
        previous = child;
        cy += kSmallH + kChildGap;
      }
      y += std::max(height, stack) + kGap;
    }
    return y;
  }

  void countUnplaced() {
    std::vector<bool> placed(steps_.size(), false);
    for (const auto& box : out_.boxes)
      if (box.step >= 0) placed[static_cast<std::size_t>(box.step)] = true;
    out_.unplaced = static_cast<int>(std::count(placed.begin(), placed.end(), false));
  }

 private:
  const std::vector<model::DerivationStep>& steps_;
  KeyScheduleLayout& out_;
  std::map<N, int> best_;
};

}  // namespace tlslab::gui::schedule
