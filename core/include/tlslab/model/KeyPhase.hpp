#pragma once
// Which keys protect a record (RFC 8446 §7.3; TLS 1.2 has one application
// phase after ChangeCipherSpec). A value, compared by kind; the text is for
// display and JSON only ("early", "handshake", "application", "application 1").
#include <compare>
#include <string>

namespace tlslab::model {

struct KeyPhase {
  enum class Stage : unsigned char { None, Early, Handshake, Application };
  Stage stage = Stage::None;
  unsigned generation = 0;  // Application: traffic secret N after N KeyUpdates

  static constexpr KeyPhase early() { return {Stage::Early, 0}; }
  static constexpr KeyPhase handshake() { return {Stage::Handshake, 0}; }
  static constexpr KeyPhase application(unsigned generation = 0) { return {Stage::Application, generation}; }

  bool empty() const { return stage == Stage::None; }
  void clear() { *this = {}; }
  std::string name() const;  // "" for None
  bool operator==(const KeyPhase&) const = default;
};

}  // namespace tlslab::model
