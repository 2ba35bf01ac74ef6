// Ephemeral (EC)DHE keys in the KeyStore: found by the key share they sent,
// written and read back in their one-line text form, bad lines named.
#include <gtest/gtest.h>

#include "tlslab/crypto/KeyAgreement.hpp"
#include "tlslab/keys/KeyStore.hpp"

using namespace tlslab;

namespace {

// RFC 7748 §6.1: Alice's and Bob's X25519 key pairs.
crypto::KeyPair alice() {
  return {"x25519", *fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
          *fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), {}, {}};
}
const char* kBobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const char* kBobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";

}  // namespace

TEST(EphemeralKeyStore, FindsAKeyByTheShareItSentAndAgreesWithThePeer) {
  keys::KeyStore store;
  store.addEphemeralKey(alice(), "test");
  EXPECT_FALSE(store.empty());
  const keys::EphemeralKey* found = store.findEphemeralKey(alice().publicKey);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(store.findEphemeralKey(*fromHex(kBobPublic)), nullptr);
  auto mine = crypto::keyAgreement(found->pair, *fromHex(kBobPublic), true);
  auto theirs = crypto::keyAgreement({"x25519", *fromHex(kBobPrivate), *fromHex(kBobPublic), {}, {}},
                                     alice().publicKey, true);
  ASSERT_TRUE(mine.ok()) << mine.error();
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(*mine, *theirs);
  EXPECT_EQ(toHex(*mine), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");  // RFC 7748 §6.1 K
}

TEST(EphemeralKeyStore, TextFormRoundTripsAndKeepsDhParameters) {
  std::vector<keys::EphemeralKey> keys = {{alice(), "a"},
                                          {{"dh", *fromHex("0a0b"), *fromHex("0102"), *fromHex("17"), *fromHex("05")}, "b"}};
  const std::string text = keys::ephemeralKeyText(keys);
  keys::KeyStore store;
  auto diagnostics = store.addEphemeralKeyText(text, "run.ephemeral-keys");
  EXPECT_TRUE(diagnostics.empty());
  ASSERT_EQ(store.ephemeralKeys().size(), 2u);
  EXPECT_EQ(store.ephemeralKeys()[0].pair.privateKey, alice().privateKey);
  EXPECT_EQ(store.ephemeralKeys()[1].pair.dhP, *fromHex("17"));
  EXPECT_EQ(store.ephemeralKeys()[1].source, "run.ephemeral-keys line 4");
  // A DH share found whether or not it was sent padded to the size of p.
  EXPECT_NE(store.findEphemeralKey(*fromHex("000102")), nullptr);
}

TEST(EphemeralKeyStore, BadLinesAreNamedAndSkipped) {
  keys::KeyStore store;
  auto d = store.addEphemeralKeyText(
      "# comment\nCLIENT_RANDOM aa bb\nEPHEMERAL_KEY brainpool 01 02\nEPHEMERAL_KEY x25519 zz 02\n"
      "EPHEMERAL_KEY dh 01 02\nEPHEMERAL_KEY x25519 01 02\n",
      "keys.txt");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].where, "keys.txt line 2");
  EXPECT_NE(d[1].message.find("unknown group \"brainpool\""), std::string::npos) << d[1].message;
  EXPECT_NE(d[2].message.find("hex"), std::string::npos) << d[2].message;
  EXPECT_NE(d[3].message.find("expected 6 fields for group dh"), std::string::npos) << d[3].message;
  EXPECT_EQ(store.ephemeralKeys().size(), 1u);
}

TEST(EphemeralKeyStore, AgreementRejectsAShareOfTheWrongShapeInWords) {
  auto p256 = crypto::keyAgreement({"secp256r1", Bytes(32, 1), {}, {}, {}}, Bytes(33, 2), true);
  ASSERT_FALSE(p256.ok());
  EXPECT_NE(p256.error().find("uncompressed points"), std::string::npos) << p256.error();
  auto none = crypto::keyAgreement({"x25519", {}, {}, {}, {}}, Bytes(32, 9), true);
  EXPECT_FALSE(none.ok());
}
