#pragma once
// Per-student variants of a lab (docs/DESIGN.md, "The course"). Every secret,
// name and message a lab hands a student is derived from one seed:
//
//   student key = HMAC-SHA256(class secret, "tlslab student key" 0x00 student)
//   lab seed    = HMAC-SHA256(student key,  "tlslab lab" 0x00 N)
//   value       = HMAC-SHA256(lab seed, label), cut to what the lab needs
//
// The teacher keeps the class secret and hands each student their key; the
// grader regenerates every key and seed from the secret, so a workspace or an
// answer made for another student does not fit. Self-study uses a published
// secret (kSelfStudySecret): variants still differ per student ID, but anyone
// can compute them, and the grader says so.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tlslab/util/Bytes.hpp"

namespace tlslab::course {

inline constexpr std::string_view kSelfStudySecret = "tlslab self-study class secret";

// Student IDs are 1..64 characters of [A-Za-z0-9._-] (they become file names).
bool validStudentId(std::string_view id);

Bytes studentKey(ByteView classSecret, std::string_view student);
// A short public tag of a class secret, stored in workspaces so the grader can
// tell "made for another class" from "made for another student".
std::string classTag(ByteView classSecret);

class Variant {
 public:
  Variant(std::string student, int lab, ByteView studentKey);
  // The self-study variant of a student (no class secret).
  static Variant selfStudy(std::string student, int lab);

  const std::string& student() const { return student_; }
  int lab() const { return lab_; }
  const Bytes& seed() const { return seed_; }

  Bytes bytes(std::string_view label, std::size_t n) const;       // n <= 32
  std::string hex(std::string_view label, std::size_t digits) const;
  std::uint32_t number(std::string_view label, std::uint32_t lo, std::uint32_t hi) const;  // [lo, hi]
  std::string_view pick(std::string_view label, std::span<const std::string_view> choices) const;
  // A memorable password, e.g. "velvet-otter-4812".
  std::string password(std::string_view label = "password") const;

 private:
  std::string student_;
  int lab_;
  Bytes seed_;
};

}  // namespace tlslab::course
