#include "tlslab/scenarios/course/Variant.hpp"

#include <fmt/core.h>

#include <array>
#include <stdexcept>

#include "tlslab/crypto/Hash.hpp"

namespace tlslab::course {
namespace {

using crypto::HashAlg;

Bytes labelled(std::string_view prefix, std::string_view value) {
  Bytes data = toBytes(prefix);
  data.push_back(0);  // prefix and value cannot run into each other
  data.insert(data.end(), value.begin(), value.end());
  return data;
}

// Short, distinct, easy to type: a password a student can recognise in a hex dump.
constexpr std::array<std::string_view, 32> kAdjectives{
    "amber", "brisk", "cobalt", "dusty", "eager", "fuzzy", "gentle", "hollow", "ivory", "jolly", "keen",
    "lucky", "mellow", "nimble", "olive", "plucky", "quiet", "rusty", "silver", "tawny", "umber", "velvet",
    "wintry", "young", "zesty", "bold", "crisp", "dapper", "fancy", "glossy", "humble", "misty"};
constexpr std::array<std::string_view, 32> kAnimals{
    "otter", "badger", "heron", "lynx", "marten", "osprey", "panda", "quail", "raven", "stoat", "tapir",
    "walrus", "yak", "zebra", "bison", "coyote", "dingo", "egret", "ferret", "gecko", "ibex", "jackal",
    "koala", "lemur", "moose", "newt", "ocelot", "puffin", "robin", "shrew", "toucan", "vole"};

}  // namespace

bool validStudentId(std::string_view id) {
  if (id.empty() || id.size() > 64 || id == "." || id == "..") return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

Bytes studentKey(ByteView classSecret, std::string_view student) {
  return crypto::hmac(HashAlg::Sha256, classSecret, labelled("tlslab student key", student));
}

std::string classTag(ByteView classSecret) {
  return toHex(crypto::hmac(HashAlg::Sha256, classSecret, toBytes("tlslab class tag"))).substr(0, 16);
}

Variant::Variant(std::string student, int lab, ByteView key) : student_(std::move(student)), lab_(lab) {
  seed_ = crypto::hmac(HashAlg::Sha256, key, labelled("tlslab lab", std::to_string(lab)));
}

Variant Variant::selfStudy(std::string student, int lab) {
  Bytes key = studentKey(asBytes(kSelfStudySecret), student);
  return Variant(std::move(student), lab, key);
}

Bytes Variant::bytes(std::string_view label, std::size_t n) const {
  if (n > 32) throw std::invalid_argument("Variant::bytes: at most 32 bytes per label");
  Bytes out = crypto::hmac(HashAlg::Sha256, seed_, toBytes(label));
  out.resize(n);
  return out;
}

std::string Variant::hex(std::string_view label, std::size_t digits) const {
  return toHex(bytes(label, (digits + 1) / 2)).substr(0, digits);
}

std::uint32_t Variant::number(std::string_view label, std::uint32_t lo, std::uint32_t hi) const {
  if (hi < lo) std::swap(lo, hi);
  Bytes b = bytes(label, 8);
  std::uint64_t v = 0;
  for (auto byte : b) v = (v << 8) | byte;
  // 64 random bits over a span of at most 2^32: the modulo bias is below 2^-32.
  return lo + static_cast<std::uint32_t>(v % (std::uint64_t{hi} - lo + 1));
}

std::string_view Variant::pick(std::string_view label, std::span<const std::string_view> choices) const {
  if (choices.empty()) throw std::invalid_argument("Variant::pick: no choices");
  return choices[number(label, 0, static_cast<std::uint32_t>(choices.size() - 1))];
}

std::string Variant::password(std::string_view label) const {
  std::string base(label);
  return fmt::format("{}-{}-{}", pick(base + "/adjective", kAdjectives), pick(base + "/animal", kAnimals),
                     number(base + "/number", 1000, 9999));
}

}  // namespace tlslab::course
