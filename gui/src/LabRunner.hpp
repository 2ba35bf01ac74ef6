#pragma once
// The lab scenarios the GUI can run, and running one: real OpenSSL endpoints
// on loopback (core/…/endpoints, core/…/scenarios), streamed to an observer
// while they run, then written as a pcapng with keys and dissected by the
// same dissector that reads captures, so the ladder shows what was on the wire.
// Plain C++ (no widgets): runLab blocks and is called on a worker thread.
#include <QString>

#include <functional>
#include <string>
#include <vector>

#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/Tamper.hpp"
#include "tlslab/model/Trace.hpp"
#include "tlslab/scenarios/MitmLab.hpp"

namespace tlslab::gui {

enum class LabKind { Handshake, Resumption, Starttls, Gallery, Mitm, Tamper, Quic };  // catalog order

struct LabRequest {
  LabKind kind = LabKind::Mitm;
  std::string tls;           // "1.2", "1.3" or "" (both allowed, 1.3 wins)
  std::string galleryEntry;  // Gallery: the catalog entry
  endpoints::AttackerCertificate strategy = endpoints::AttackerCertificate::AttackerOwn;
  scenarios::VictimMode victim = scenarios::VictimMode::ChainOnly;
  endpoints::Tamper::Action attack = endpoints::Tamper::Action::FlipByte;  // Tamper
  std::uint16_t port = 0;  // handshake/resumption/starttls/tamper: the server's port (0: a free one)

  QString title() const;  // "MITM: attacker-own × chain-only"
};

// The labs a launcher lists: name and one line of what it teaches.
struct LabInfo {
  LabKind kind;
  QString name;
  QString summary;
  QString tutorial;  // file name in tutorials/
};
const std::vector<LabInfo>& labCatalog();

// The options of "--lab NAME" as typed (empty: the lab's default).
struct LabOptionText {
  QString strategy, victim;  // mitm
  QString tls;               // handshake, resumption, tamper
  QString entry;             // gallery
  QString attack;            // tamper: flip-byte, drop, duplicate, truncate
};

// Parses the command line's "--lab NAME" (handshake, resumption, starttls,
// gallery, mitm, tamper, quic) with its options; false when a name is unknown
// (`error` says which).
bool parseLabRequest(const QString& lab, const LabOptionText& options, LabRequest& request, QString& error);

struct LabResult {
  model::Trace trace;
  QString verdict;  // "the attacker read the password" / "the victim aborted: ..."
  QString error;    // the lab could not run at all
  std::string pcapng;  // the run as a capture with its keys (File → Save)
};

LabResult runLab(const LabRequest& request, const endpoints::Observer& observer);

}  // namespace tlslab::gui
