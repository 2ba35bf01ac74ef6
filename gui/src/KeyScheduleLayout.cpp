#include "KeyScheduleLayout.hpp"

#include <QObject>

#include <algorithm>

#include "KeyScheduleBuilder.hpp"

namespace tlslab::gui {

namespace {

using namespace schedule;  // N, StepStatus, the columns, Builder

bool isTls12Node(N node) {
  switch (node) {
    case N::PreMasterSecret:
    case N::Tls12MasterSecret:
    case N::KeyBlock:
    case N::ClientMacKey:
    case N::ServerMacKey:
    case N::ClientWriteKey:
    case N::ServerWriteKey:
    case N::ClientWriteIv:
    case N::ServerWriteIv: return true;
    default: return false;
  }
}

// Nodes both pictures have: they say nothing about the version.
bool isShared(N node) {
  switch (node) {
    case N::None:
    case N::SharedSecret:
    case N::ClientVerifyData:
    case N::ServerVerifyData:
    case N::ClientFinishedCheck:
    case N::ServerFinishedCheck: return true;
    default: return false;
  }
}


Branch traffic(N secret, N key, N iv, std::vector<Child> more = {}, bool keysOptional = false) {
  Branch b{secret, {{key, "key", keysOptional}, {iv, "iv", keysOptional}}};
  for (auto& c : more) b.children.push_back(c);
  return b;
}

void layoutTls13(Builder& b) {
  double y = kTop;
  const QRectF spine(kSpineX, y, kSpineW, kLargeH);
  const int early = b.place(N::EarlySecret, spine, BoxSize::Large, QObject::tr("Early Secret"),
                            QStringLiteral("HKDF-Extract(0, PSK)"));
  b.constant(QStringLiteral("0"), early, true);
  b.input(b.place(N::Psk, {kInX, y, kInW, kLargeH}, BoxSize::Input, QStringLiteral("PSK")), early);
  y = b.branches(early, y,
                 {{N::BinderKey, {}},
                  traffic(N::ClientEarlyTraffic, N::ClientEarlyKey, N::ClientEarlyIv, {}, true),
                  {N::EarlyExporter, {}}});
  const QString derived = QStringLiteral("\"derived\", \"\"");
  const int d1 = b.place(N::DerivedForHandshake, {kSpineX, y, kSpineW, kSmallH}, BoxSize::Small, QStringLiteral("derived"), derived);
  b.down(early, d1);
  y += kSmallH + 2 * kGap;

  const int hs = b.place(N::HandshakeSecret, {kSpineX, y, kSpineW, kLargeH}, BoxSize::Large, QObject::tr("Handshake Secret"),
                         QStringLiteral("HKDF-Extract(derived, (EC)DHE)"));
  b.down(d1, hs);
  b.input(b.place(N::SharedSecret, {kInX, y, kInW, kLargeH}, BoxSize::Input, QStringLiteral("(EC)DHE")), hs);
  auto finished = [](N key, N verify, N check) {
    return std::vector<Child>{{key, "finished_key"}, {verify, "verify_data", false, true}, {check, "Finished check", false, true}};
  };
  y = b.branches(hs, y,
                 {traffic(N::ClientHandshakeTraffic, N::ClientHandshakeKey, N::ClientHandshakeIv,
                          finished(N::ClientFinishedKey, N::ClientVerifyData, N::ClientFinishedCheck)),
                  traffic(N::ServerHandshakeTraffic, N::ServerHandshakeKey, N::ServerHandshakeIv,
                          finished(N::ServerFinishedKey, N::ServerVerifyData, N::ServerFinishedCheck))});
  const int d2 = b.place(N::DerivedForMaster, {kSpineX, y, kSpineW, kSmallH}, BoxSize::Small, QStringLiteral("derived"), derived);
  b.down(hs, d2);
  y += kSmallH + 2 * kGap;

  const int ms = b.place(N::MasterSecret, {kSpineX, y, kSpineW, kLargeH}, BoxSize::Large, QObject::tr("Master Secret"),
                         QStringLiteral("HKDF-Extract(derived, 0)"));
  b.down(d2, ms);
  b.constant(QStringLiteral("0"), ms);
  b.branches(ms, y,
             {traffic(N::ClientApplicationTraffic, N::ClientApplicationKey, N::ClientApplicationIv,
                      {{N::ClientNextApplicationTraffic, "next: \"traffic upd\"", true}}),
              traffic(N::ServerApplicationTraffic, N::ServerApplicationKey, N::ServerApplicationIv,
                      {{N::ServerNextApplicationTraffic, "next: \"traffic upd\"", true}}),
              {N::ExporterMaster, {}},
              {N::ResumptionMaster, {}}});
}

void layoutTls12(Builder& b, bool ems) {
  double y = kTop;
  const int pms = b.place(N::PreMasterSecret, {kSpineX, y, kSpineW, kLargeH}, BoxSize::Large,
                          QStringLiteral("pre_master_secret"), QObject::tr("key exchange (RFC 5246 §8.1)"));
  b.input(b.place(N::SharedSecret, {kInX, y, kInW, kLargeH}, BoxSize::Input, QStringLiteral("(EC)DHE"), {}, true), pms);
  y += kLargeH + 2 * kGap;
  const int master = b.place(N::Tls12MasterSecret, {kSpineX, y, kSpineW, kLargeH}, BoxSize::Large,
                             QStringLiteral("master_secret"),
                             ems ? QStringLiteral("PRF(., \"extended master secret\")") : QStringLiteral("PRF(., \"master secret\")"));
  b.down(pms, master);
  b.constant(ems ? QStringLiteral("session_hash") : QStringLiteral("randoms"), master);
  y = b.branches(master, y,
                 {{N::ClientVerifyData, {{N::ClientFinishedCheck, "Finished check"}}, QStringLiteral("client verify_data"),
                   QStringLiteral("PRF(master, \"client finished\", Hash)")},
                  {N::ServerVerifyData, {{N::ServerFinishedCheck, "Finished check"}}, QStringLiteral("server verify_data"),
                   QStringLiteral("PRF(master, \"server finished\", Hash)")}});
  const int block = b.place(N::KeyBlock, {kSpineX, y, kSpineW, kLargeH}, BoxSize::Large, QStringLiteral("key_block"),
                            QStringLiteral("PRF(., \"key expansion\")"));
  b.down(master, block);
  b.constant(QStringLiteral("randoms"), block);
  // RFC 5246 §6.3: the key block is cut into MAC keys, write keys and IVs, in
  // that order; AEAD suites have no MAC keys, TLS 1.1+ CBC no IVs.
  const std::pair<N, const char*> parts[] = {
      {N::ClientMacKey, "client_write_MAC_key"}, {N::ServerMacKey, "server_write_MAC_key"},
      {N::ClientWriteKey, "client_write_key"},   {N::ServerWriteKey, "server_write_key"},
      {N::ClientWriteIv, "client_write_IV"},     {N::ServerWriteIv, "server_write_IV"}};
  double cy = y;
  for (const auto& [node, title] : parts) {
    const bool writeKey = node == N::ClientWriteKey || node == N::ServerWriteKey;
    const int part = b.place(node, {kBranchX, cy, kBranchW, kSmallH}, BoxSize::Small, QString::fromLatin1(title), {}, !writeKey);
    if (part < 0) continue;
    b.branch(block, part, kSpineTrunk);
    cy += kSmallH + kChildGap;
  }
}

ScheduleKind kindOf(const std::vector<model::DerivationStep>& steps, std::uint16_t version) {
  if (version == 0x0304) return ScheduleKind::Tls13;
  if (version >= 0x0301 && version < 0x0304) return ScheduleKind::Tls12;
  for (const auto& s : steps)
    if (isTls12Node(s.node)) return ScheduleKind::Tls12;
  for (const auto& s : steps)
    if (!isShared(s.node)) return ScheduleKind::Tls13;
  return ScheduleKind::None;
}

}  // namespace

QString stepStatusText(StepStatus status) {
  switch (status) {
    case StepStatus::Derived: return QObject::tr("● derived");
    case StepStatus::FromKeyLog: return QObject::tr("⬇ from key log");
    case StepStatus::Verified: return QObject::tr("✓ verified");
    case StepStatus::Failed: return QObject::tr("✗ failed");
    case StepStatus::NotDerivable: return QObject::tr("∅ not derivable");
    default: return QStringLiteral("?");
  }
}

QString shortHex(ByteView bytes) {
  const std::string hex = toHex(bytes);
  if (hex.size() <= 20) return QString::fromStdString(hex);
  return QString::fromStdString(hex.substr(0, 8)) + QStringLiteral("…") + QString::fromStdString(hex.substr(hex.size() - 8));
}

int KeyScheduleLayout::boxAt(QPointF point) const {
  for (std::size_t i = 0; i < boxes.size(); ++i)
    if (boxes[i].rect.contains(point)) return static_cast<int>(i);
  return -1;
}

int KeyScheduleLayout::find(model::ScheduleNode node) const {
  for (std::size_t i = 0; i < boxes.size(); ++i)
    if (boxes[i].node == node) return static_cast<int>(i);
  return -1;
}

int KeyScheduleLayout::findStep(int step) const {
  for (std::size_t i = 0; i < boxes.size(); ++i)
    if (boxes[i].step == step && step >= 0) return static_cast<int>(i);
  return -1;
}

KeyScheduleLayout layoutKeySchedule(const std::vector<model::DerivationStep>& steps, std::uint16_t version,
                                    bool extendedMasterSecret) {
  KeyScheduleLayout out;
  out.kind = kindOf(steps, version);
  if (out.kind == ScheduleKind::None) {
    out.unplaced = static_cast<int>(steps.size());
    return out;
  }
  Builder builder(steps, out);
  if (out.kind == ScheduleKind::Tls13) {
    out.title = QObject::tr("TLS 1.3 key schedule · RFC 8446 §7.1, §7.3, §4.4.4");
    layoutTls13(builder);
  } else {
    out.title = QObject::tr("TLS 1.2 key derivation · RFC 5246 §8.1, §6.3, §7.4.9");
    layoutTls12(builder, extendedMasterSecret);
  }
  builder.countUnplaced();
  double right = 0, bottom = 0;
  for (const auto& box : out.boxes) {
    right = std::max(right, box.rect.right());
    bottom = std::max(bottom, box.rect.bottom());
  }
  out.size = QSizeF(right + 8, bottom + 16);
  return out;
}

}  // namespace tlslab::gui
