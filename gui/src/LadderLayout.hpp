#pragma once
// Geometry of the ladder diagram, computed from a Trace without painting, so
// hit-testing and keyboard navigation are testable without a screen.
// One arrow per record; lanes are the endpoints (client and server, or
// victim, proxy and server for a man-in-the-middle run).
#include <QString>

#include <vector>

#include "TraceMarks.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::gui {

enum class TimeAxis {
  Linear,      // vertical distance proportional to time
  Compressed,  // one row per record, long pauses shown as a break
};

struct LadderLane {
  QString title;    // "client", "victim", "proxy", ...
  QString address;  // "127.0.0.1:4433"
};

enum class ArrowKind { Handshake, EncryptedHandshake, ChangeCipherSpec, ApplicationData, Alert, Opaque };

struct LadderArrow {
  int connection = 0;
  int record = 0;
  int fromLane = 0;
  int toLane = 1;
  double time = 0;  // seconds since the first record shown
  double y = 0;     // centre line, in unzoomed layout units from the top of the first row
  QString label;    // the record's messages, "ClientHello" or "Certificate, CertificateVerify, Finished"
  // One entry per message named in the label (label = parts joined by ", "),
  // with the message's index in its connection: each is selectable.
  std::vector<QString> parts;
  std::vector<int> messages;
  QString detail;   // "#4 · 90 B"
  ArrowKind kind = ArrowKind::Opaque;
  bool encrypted = false;
  QString keyPhase;     // "handshake", "application", "application 1" (after a KeyUpdate)
  bool undecrypted = false;
  bool failedAuthentication = false;  // undecrypted although the keys were there: the bytes were changed
  QString undecryptedReason;          // the dissector's words, for the tooltip
  int roundTrip = 0;    // handshake round trip this record belongs to (1-based), 0 after the handshake
  bool gapBefore = false;  // compressed axis: a long pause precedes this arrow
};

// A handshake round trip: the client's flight and the server's answer.
struct RoundTrip {
  int connection = 0;
  int number = 1;
  int firstArrow = 0;  // indices into LadderLayout::arrows
  int lastArrow = 0;
};

struct LadderLayout {
  std::vector<LadderLane> lanes;
  std::vector<LadderArrow> arrows;
  std::vector<RoundTrip> roundTrips;
  QString summary;      // "TLS 1.3 · 1-RTT handshake · 12 records"
  double height = 0;    // unzoomed, of all rows
  double rowHeight = 0;

  bool empty() const { return arrows.empty(); }
  // The arrow whose row contains layout-unit y (nearest within half a row), or -1.
  int arrowAtY(double y) const;
  // Index of the arrow for (connection, record), or -1.
  int find(int connection, int record) const;
};

// Connections drawn together with `connection`: itself, and for a
// man-in-the-middle the other leg (the connection whose client is this one's
// server, by label, or the reverse). Returned in lane order (front leg first).
std::vector<int> ladderConnections(const model::Trace& trace, int connection);

// How a key-schedule node's marks touch an arrow: a message it carries is
// hashed into the node (Input), its record is protected by the node's key
// (Protected), or both.
enum class ArrowMark { None, Input, Protected, Both };
ArrowMark arrowMark(const LadderArrow& arrow, const TraceMarks& marks);

LadderLayout layoutLadder(const model::Trace& trace, int connection, TimeAxis axis, double rowHeight = 44);

}  // namespace tlslab::gui
