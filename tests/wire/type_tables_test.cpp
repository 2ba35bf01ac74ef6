// The handshake and extension type tables: one declaration per code point,
// one name for it everywhere, one spelling for an unassigned value.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "WireTestUtil.hpp"
#include "tlslab/wire/ExtensionTypes.hpp"
#include "tlslab/wire/Flow.hpp"
#include "tlslab/wire/HandshakeTypes.hpp"
#include "tlslab/wire/Messages.hpp"
#include "tlslab/wire/Registry.hpp"

namespace tlslab::wire {
namespace {

TEST(HandshakeTypes, EachAssignedCodeHasOneNameUsedByEveryView) {
  std::set<std::string> names;
  int assigned = 0;
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    const HandshakeTypeInfo* info = handshakeTypeInfo(c);
    if (!info) {
      EXPECT_EQ(handshakeTypeName(c), nullptr) << code;
      continue;
    }
    ++assigned;
    EXPECT_EQ(info->code, c);
    EXPECT_TRUE(names.insert(info->name).second) << "two codes named " << info->name;
    EXPECT_EQ(handshakeTypeLabel(c), info->name);
    EXPECT_STREQ(handshakeTypeName(c), info->iana);
    EXPECT_EQ(flowKindName(code), info->name);
    // The field tree of a message of this type carries the same name, meaning and section.
    const HandshakeMessage m = parseHandshakeMessage(Bytes{c, 0, 0, 0});
    EXPECT_EQ(m.tree.name, info->name);
    EXPECT_EQ(m.tree.meaning, info->meaning);
    EXPECT_EQ(m.tree.rfc, info->rfc);
  }
  EXPECT_EQ(assigned, 25);  // tls-parameters-7, reserved and unassigned values left out
  EXPECT_EQ(static_cast<int>(HandshakeType::ClientHello), 1);
  EXPECT_EQ(static_cast<int>(HandshakeType::MessageHash), 254);
  EXPECT_EQ(handshakeTypeInfo(15)->sender, Sender::Either);
  EXPECT_EQ(handshakeTypeInfo(16)->sender, Sender::Client);
}

TEST(HandshakeTypes, AnUnassignedValueIsSpeltOneWayEverywhere) {
  const std::uint8_t unassigned = 7;
  ASSERT_EQ(handshakeTypeInfo(unassigned), nullptr);
  const std::string label = "handshake type 7";
  EXPECT_EQ(handshakeTypeLabel(unassigned), label);
  EXPECT_EQ(flowKindName(unassigned), label);
  EXPECT_EQ(handshakeTypeDisplay(unassigned), label);  // the reassembler's diagnostics
  EXPECT_STREQ(handshakeTypeDisplay(1), "client_hello");
  const HandshakeMessage m = parseHandshakeMessage(Bytes{unassigned, 0, 0, 1, 0xaa});
  EXPECT_EQ(m.tree.name, label);
  EXPECT_EQ(m.tree.value, "0x07 unknown");  // the code and its registry name, as for every registry
  FlowTracker tracker;
  tracker.observe(Sender::Client, 1);
  const FlowTracker::Verdict v = tracker.observe(Sender::Server, unassigned);
  EXPECT_FALSE(v.expected);
  EXPECT_NE(v.message.find("unexpected " + label + " from the server"), std::string::npos) << v.message;
}

TEST(ExtensionTypes, ConstantsNamesAndAllowListsComeFromOneTable) {
  EXPECT_EQ(ext::kKeyShare, 51);
  EXPECT_EQ(ext::kAlpn, 16);
  EXPECT_EQ(ext::kRenegotiationInfo, 0xFF01);
  EXPECT_STREQ(extensionName(ext::kSct), "signed_certificate_timestamp");
  EXPECT_STREQ(extensionName(53), "connection_id (deprecated)");
  EXPECT_EQ(extensionName(40), nullptr);      // unassigned
  EXPECT_EQ(extensionName(0x0a0a), nullptr);  // GREASE
  // RFC 8446 §4.2's table.
  EXPECT_EQ(extensionTypeInfo(ext::kKeyShare)->tls13, in13::CH | in13::SH | in13::HRR);
  EXPECT_EQ(extensionTypeInfo(ext::kEarlyData)->tls13, in13::CH | in13::EE | in13::NST);
  EXPECT_EQ(extensionTypeInfo(ext::kOidFilters)->tls13, in13::CR);
  EXPECT_EQ(extensionTypeInfo(ext::kExtendedMasterSecret)->tls13, in13::Tls12Only);
  std::set<std::string> names;
  for (unsigned code = 0; code <= 0xFFFF; ++code)
    if (const ExtensionTypeInfo* info = extensionTypeInfo(static_cast<std::uint16_t>(code))) {
      EXPECT_EQ(info->code, code);
      EXPECT_TRUE(names.insert(info->iana).second) << info->iana;
    }
  EXPECT_EQ(names.size(), 64u);
}

}  // namespace
}  // namespace tlslab::wire

TEST(ContentTypes, OneTableGivesTheRegistryAndTheDisplayName) {
  EXPECT_STREQ(tlslab::wire::contentTypeName(23), "application_data");
  EXPECT_EQ(tlslab::wire::contentTypeDisplay(23), "Application Data");
  EXPECT_EQ(tlslab::wire::contentTypeDisplay(20), "ChangeCipherSpec");
  EXPECT_EQ(tlslab::wire::contentTypeDisplay(24), "Heartbeat");
  EXPECT_EQ(tlslab::wire::contentTypeName(99), nullptr);
  EXPECT_EQ(tlslab::wire::contentTypeDisplay(99), "content type 99");
}
