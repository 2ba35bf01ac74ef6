#pragma once
// Geometry of the key schedule picture, computed from a connection's
// derivation steps without painting (like LadderLayout), so placement and
// hit-testing are tested offscreen. Boxes are placed by each step's
// model::ScheduleNode, never by its name.
//
// TLS 1.3 is drawn as RFC 8446 §7.1 draws it: the inputs on the left (PSK,
// (EC)DHE, 0), the spine of HKDF-Extracts (Early, Handshake, Master Secret)
// with Derive-Secret(., "derived", "") between them, the Derive-Secret
// branches to the right, and beside each traffic secret its key and IV
// (§7.3), finished_key, verify_data and the Finished check (§4.4.4).
// TLS 1.0-1.2 is RFC 5246's chain: pre-master secret -> master secret (§8.1)
// -> key block (§6.3) -> MAC keys, write keys, IVs; and the Finished values
// made from the master secret (§7.4.9).
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <optional>
#include <vector>

#include "tlslab/model/Derivation.hpp"

namespace tlslab::gui {

enum class ScheduleKind { None, Tls13, Tls12 };

enum class BoxSize {
  Large,  // a secret of the spine or a branch: caption, title, value, status
  Small,  // a key, IV or Finished value beside its secret: title and value
  Input,  // an input on the left: PSK, (EC)DHE
};

struct ScheduleBox {
  model::ScheduleNode node = model::ScheduleNode::None;
  int step = -1;       // index into the steps laid out; -1: no step (drawn as an outline)
  QRectF rect;         // layout units (pixels at zoom 1)
  BoxSize size = BoxSize::Large;
  QString title;       // "Handshake Secret", "client_handshake_traffic_secret", "key"
  QString caption;     // how the RFC writes its making: "\"c hs traffic\", ClientHello..ServerHello"
  QString value;       // the output shortened ("1dc826e9…b3b9f0c2"), or why there is none
  QString status;      // "✓ verified", "∅ not derivable", ...; for an outline "no step"
  std::optional<model::StepStatus> stepStatus;
};

struct ScheduleEdge {
  int from = -1;                // box the value flows from; -1 for a constant input
  int to = -1;                  // box it flows into
  std::vector<QPointF> points;  // polyline, arrowhead at the last point
  QString label;                // a constant input ("0", "randoms"), drawn at the first point
};

struct KeyScheduleLayout {
  ScheduleKind kind = ScheduleKind::None;
  QString title;  // "TLS 1.3 key schedule (RFC 8446 §7.1)"
  std::vector<ScheduleBox> boxes;
  std::vector<ScheduleEdge> edges;
  QSizeF size;
  int unplaced = 0;  // steps with no box of their own (the card list shows every step)

  bool empty() const { return boxes.empty(); }
  int boxAt(QPointF point) const;  // -1 when no box contains it
  int find(model::ScheduleNode node) const;
  int findStep(int step) const;
};

// Badge text for a status: "✓ verified", "∅ not derivable", ...
QString stepStatusText(model::StepStatus status);
// "1dc826e9…b3b9f0c2" (whole when short).
QString shortHex(ByteView bytes);

// `version` (0x0301..0x0304) picks the picture; 0 infers it from the steps'
// nodes. `extendedMasterSecret` words the TLS 1.2 master secret's caption.
KeyScheduleLayout layoutKeySchedule(const std::vector<model::DerivationStep>& steps, std::uint16_t version = 0,
                                    bool extendedMasterSecret = false);

}  // namespace tlslab::gui
