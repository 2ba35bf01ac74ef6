#include "LadderLayout.hpp"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ConnectionState.hpp"
#include "tlslab/model/RoundTrips.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::gui {

namespace {

using model::Direction;
using model::TraceConnection;
using model::TraceRecord;

constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kAlert = 21;
constexpr std::uint8_t kApplicationData = 23;

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "proxy (back leg)" and "proxy" name the same lane.
std::string laneName(const std::string& label) { return label.substr(0, label.find(" (")); }

bool isGenericLabel(const std::string& name) { return name.empty() || name == "client" || name == "server"; }

// The content type that matters: TLS 1.3 hides the real one inside the encryption.
std::uint8_t effectiveType(const TraceRecord& r) {
  return r.encrypted && r.innerContentType != 0 ? r.innerContentType : r.contentType;
}

QString alertText(const model::TraceMessage& m) {
  const model::Field* description = model::findField(m.tree, "description");
  if (description == nullptr || description->value.empty()) return qs(m.name);
  return QStringLiteral("%1: %2").arg(qs(m.name), qs(description->value));
}

QString sizeText(std::size_t bytes) { return QStringLiteral("%1 B").arg(bytes); }

// " ✓" / " ✗" when the key schedule checked this side's Finished (the
// derivation's "client Finished check" / "server Finished check" step).
QString finishedMark(const TraceConnection& c, Direction direction) {
  const auto node = direction == Direction::ClientToServer ? model::ScheduleNode::ClientFinishedCheck
                                                            : model::ScheduleNode::ServerFinishedCheck;
  for (const auto& step : c.derivation) {
    if (step.node != node) continue;
    if (step.status == model::StepStatus::Verified) return QStringLiteral(" ✓");
    if (step.status == model::StepStatus::Failed) return QStringLiteral(" ✗");
  }
  return {};
}

void describe(const TraceConnection& c, const TraceRecord& r, LadderArrow& a) {
  const std::uint8_t type = effectiveType(r);
  a.encrypted = r.encrypted;
  a.keyPhase = qs(r.keyPhase.name());
  a.undecrypted = r.encrypted && !r.undecryptedReason.empty();
  a.undecryptedReason = qs(r.undecryptedReason);
  // The dissector's wording for a record whose tag or MAC did not match.
  a.failedAuthentication = a.undecrypted && r.undecryptedReason.rfind("MAC/tag failure", 0) == 0;
  a.detail = QStringLiteral("#%1 · %2").arg(r.index).arg(sizeText(r.wireSize));
  QStringList names;
  bool alert = type == kAlert;
  for (std::size_t mi : r.messages) {
    if (mi >= c.messages.size()) continue;
    const auto& m = c.messages[mi];
    bool isAlert = m.name.rfind("Alert", 0) == 0;
    alert = alert || isAlert;
    QString name = isAlert ? alertText(m) : qs(m.name);
    if (m.name == "Finished") name += finishedMark(c, m.direction);
    // A message spread over several records is named on each, marked as a part.
    if (m.firstRecord != m.lastRecord) name += r.index == m.firstRecord ? QStringLiteral(" (begins)") : QStringLiteral(" (cont.)");
    names << name;
    a.parts.push_back(name);
    a.messages.push_back(static_cast<int>(mi));
  }
  if (!names.isEmpty()) {
    a.label = names.join(QStringLiteral(", "));
  } else if (type == kApplicationData && !a.undecrypted) {
    a.label = QStringLiteral("Application Data (%1)").arg(sizeText(r.plaintextSize));
  } else if (a.failedAuthentication) {
    a.label = QStringLiteral("Record failed authentication (%1)").arg(sizeText(r.wireSize));
  } else if (a.undecrypted) {
    a.label = QStringLiteral("Encrypted record (%1)").arg(sizeText(r.wireSize));
  } else if (type == kChangeCipherSpec) {
    a.label = QStringLiteral("ChangeCipherSpec");
  } else {
    const char* name = wire::contentTypeName(type);
    a.label = name ? QString::fromUtf8(name) : QStringLiteral("content type %1").arg(type);
  }
  if (alert) a.kind = ArrowKind::Alert;
  else if (a.undecrypted) a.kind = ArrowKind::Opaque;
  else if (type == kChangeCipherSpec) a.kind = ArrowKind::ChangeCipherSpec;
  else if (type == kApplicationData) a.kind = ArrowKind::ApplicationData;
  else a.kind = r.encrypted ? ArrowKind::EncryptedHandshake : ArrowKind::Handshake;
}

// Marks each arrow with its handshake round trip, as core counts them.
int markRoundTrips(const TraceConnection& c, std::vector<LadderArrow*>& arrows) {
  const model::HandshakeRoundTrips trips = model::handshakeRoundTrips(c);
  for (LadderArrow* a : arrows) {
    const auto record = static_cast<std::size_t>(a->record);
    a->roundTrip = record < trips.ofRecord.size() ? trips.ofRecord[record] : 0;
  }
  return trips.count;
}

QString connectionSummary(const TraceConnection& c, int roundTrips) {
  QStringList parts;
  parts << versionText(c.negotiated.version);
  if (!c.negotiated.suiteName.empty()) parts << qs(c.negotiated.suiteName);
  if (roundTrips > 0) {
    QString rtt = QStringLiteral("%1-RTT handshake").arg(roundTrips);
    if (c.negotiated.earlyData) rtt = QStringLiteral("0-RTT data, ") + rtt;
    if (c.negotiated.resumption != model::Resumption::None)
      rtt += QStringLiteral(" (resumed by %1)").arg(QString::fromUtf8(model::resumptionName(c.negotiated.resumption)));
    parts << rtt;
  }
  parts << QStringLiteral("%1 records").arg(c.records.size());
  return parts.join(QStringLiteral(" · "));
}

void placeRows(LadderLayout& layout, TimeAxis axis) {
  const double row = layout.rowHeight;
  auto& arrows = layout.arrows;
  if (arrows.empty()) return;
  const double span = arrows.back().time - arrows.front().time;
  if (axis == TimeAxis::Compressed || span <= 0) {
    double y = row / 2;
    for (std::size_t i = 0; i < arrows.size(); ++i) {
      // A pause of more than a fifth of a second is a break a reader should see.
      if (i > 0 && arrows[i].time - arrows[i - 1].time > 0.2) {
        arrows[i].gapBefore = true;
        y += row * 0.6;
      }
      arrows[i].y = y;
      y += row;
    }
  } else {
    // On average one row per record, so the linear axis is as tall as the
    // compressed one; arrows in a burst keep a minimum gap so they stay clickable.
    const double scale = row * static_cast<double>(arrows.size() - 1) / span;
    const double minGap = row * 0.4;
    double previous = -minGap;
    for (auto& a : arrows) {
      a.y = std::max(row / 2 + a.time * scale, previous + minGap);
      previous = a.y;
    }
  }
  layout.height = arrows.back().y + row / 2;
}

}  // namespace

int LadderLayout::arrowAtY(double y) const {
  if (arrows.empty()) return -1;
  auto it = std::lower_bound(arrows.begin(), arrows.end(), y, [](const LadderArrow& a, double v) { return a.y < v; });
  int best = -1;
  double bestDistance = rowHeight / 2;
  for (auto candidate : {it, it == arrows.begin() ? it : std::prev(it)}) {
    if (candidate == arrows.end()) continue;
    double distance = std::abs(candidate->y - y);
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = static_cast<int>(candidate - arrows.begin());
    }
  }
  return best;
}

int LadderLayout::find(int connection, int record) const {
  for (std::size_t i = 0; i < arrows.size(); ++i)
    if (arrows[i].connection == connection && arrows[i].record == record) return static_cast<int>(i);
  return -1;
}

std::vector<int> ladderConnections(const model::Trace& trace, int connection) {
  const int count = static_cast<int>(trace.connections.size());
  if (connection < 0 || connection >= count) return {};
  const auto& self = trace.connections[static_cast<std::size_t>(connection)];
  const std::string server = laneName(self.serverLabel), client = laneName(self.clientLabel);
  int best = -1;
  bool selfFirst = true;
  double bestDistance = 0;
  for (int j = 0; j < count; ++j) {
    if (j == connection) continue;
    const auto& other = trace.connections[static_cast<std::size_t>(j)];
    bool after = !isGenericLabel(server) && laneName(other.clientLabel) == server;
    bool before = !isGenericLabel(client) && laneName(other.serverLabel) == client;
    if (!after && !before) continue;
    // Several runs in one trace: the other leg is the one closest in time.
    double distance = std::abs(other.startTime - self.startTime);
    if (best < 0 || distance < bestDistance) {
      best = j;
      bestDistance = distance;
      selfFirst = after;
    }
  }
  if (best < 0) return {connection};
  return selfFirst ? std::vector<int>{connection, best} : std::vector<int>{best, connection};
}

LadderLayout layoutLadder(const model::Trace& trace, int connection, TimeAxis axis, double rowHeight) {
  LadderLayout layout;
  layout.rowHeight = rowHeight;
  const std::vector<int> shown = ladderConnections(trace, connection);
  if (shown.empty()) return layout;

  const auto& first = trace.connections[static_cast<std::size_t>(shown.front())];
  layout.lanes.push_back({qs(laneName(first.clientLabel)), qs(first.client)});
  layout.lanes.push_back({qs(laneName(first.serverLabel)), qs(first.server)});
  if (shown.size() > 1) {
    const auto& second = trace.connections[static_cast<std::size_t>(shown[1])];
    layout.lanes[1].address = qs(first.server + "  /  " + second.client);
    layout.lanes.push_back({qs(laneName(second.serverLabel)), qs(second.server)});
  }

  double t0 = 0;
  bool haveTime = false;
  for (int ci : shown) {
    const auto& c = trace.connections[static_cast<std::size_t>(ci)];
    if (!c.records.empty() && (!haveTime || c.startTime + c.records.front().time < t0)) {
      t0 = c.startTime + c.records.front().time;
      haveTime = true;
    }
  }
  std::size_t total = 0;
  for (int ci : shown) total += trace.connections[static_cast<std::size_t>(ci)].records.size();
  layout.arrows.reserve(total);
  for (std::size_t lane = 0; lane < shown.size(); ++lane) {
    const auto& c = trace.connections[static_cast<std::size_t>(shown[lane])];
    for (const auto& r : c.records) {
      LadderArrow a;
      a.connection = shown[lane];
      a.record = static_cast<int>(r.index);
      const bool toServer = r.direction == Direction::ClientToServer;
      a.fromLane = static_cast<int>(toServer ? lane : lane + 1);
      a.toLane = static_cast<int>(toServer ? lane + 1 : lane);
      a.time = c.startTime + r.time - t0;
      describe(c, r, a);
      layout.arrows.push_back(std::move(a));
    }
  }
  std::stable_sort(layout.arrows.begin(), layout.arrows.end(),
                   [](const LadderArrow& a, const LadderArrow& b) { return a.time < b.time; });
  placeRows(layout, axis);

  QStringList summaries;
  for (std::size_t lane = 0; lane < shown.size(); ++lane) {
    const int ci = shown[lane];
    const auto& c = trace.connections[static_cast<std::size_t>(ci)];
    std::vector<LadderArrow*> own;
    for (auto& a : layout.arrows)
      if (a.connection == ci) own.push_back(&a);
    const int trips = markRoundTrips(c, own);
    for (int k = 1; k <= trips; ++k) {
      RoundTrip rt{ci, k, -1, -1};
      for (std::size_t i = 0; i < layout.arrows.size(); ++i) {
        if (layout.arrows[i].connection != ci || layout.arrows[i].roundTrip != k) continue;
        if (rt.firstArrow < 0) rt.firstArrow = static_cast<int>(i);
        rt.lastArrow = static_cast<int>(i);
      }
      if (rt.firstArrow >= 0) layout.roundTrips.push_back(rt);
    }
    QString text = connectionSummary(c, trips);
    if (shown.size() > 1)
      text = QStringLiteral("%1 ↔ %2: %3").arg(qs(laneName(c.clientLabel)), qs(laneName(c.serverLabel)), text);
    summaries << text;
  }
  layout.summary = summaries.join(QStringLiteral("   |   "));
  return layout;
}

ArrowMark arrowMark(const LadderArrow& arrow, const TraceMarks& marks) {
  if (arrow.connection != marks.connection || marks.empty()) return ArrowMark::None;
  bool input = false;
  for (int m : arrow.messages)
    if (std::find(marks.messages.begin(), marks.messages.end(), m) != marks.messages.end()) input = true;
  const bool protectedRecord = std::find(marks.records.begin(), marks.records.end(), arrow.record) != marks.records.end();
  if (input && protectedRecord) return ArrowMark::Both;
  return input ? ArrowMark::Input : protectedRecord ? ArrowMark::Protected : ArrowMark::None;
}

}  // namespace tlslab::gui
