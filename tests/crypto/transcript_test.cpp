// crypto::Transcript: what the dissector and the RFC 8448 test hash the
// handshake with (RFC 8446 §4.4.1).
#include <gtest/gtest.h>

#include "tlslab/crypto/Tls13KeySchedule.hpp"
#include "tlslab/crypto/Transcript.hpp"

using namespace tlslab;
using namespace tlslab::crypto;

TEST(Transcript, HashesTheMessagesInOrder) {
  Transcript t;
  const Bytes a{1, 0, 0, 1, 0xaa}, b{2, 0, 0, 2, 0xbb, 0xcc};
  t.add(a);
  t.add(b);
  Bytes both = a;
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_EQ(t.hash(HashAlg::Sha256), digest(HashAlg::Sha256, both));
  EXPECT_EQ(t.size(), both.size());
}

TEST(Transcript, HelloRetryReplacesClientHello1WithMessageHash) {
  const Bytes ch1{1, 0, 0, 3, 3, 3, 3}, hrr{2, 0, 0, 1, 9};
  const Bytes ch1Hash = digest(HashAlg::Sha384, ch1);
  Bytes expected{254, 0, 0, 48};
  expected.insert(expected.end(), ch1Hash.begin(), ch1Hash.end());
  EXPECT_EQ(tls13MessageHash(HashAlg::Sha384, ch1), expected);

  Transcript t;
  t.add(ch1);
  t.replaceWithMessageHash(HashAlg::Sha384);
  t.add(hrr);
  expected.insert(expected.end(), hrr.begin(), hrr.end());
  EXPECT_EQ(Bytes(t.bytes().begin(), t.bytes().end()), expected);
  EXPECT_EQ(t.hash(HashAlg::Sha384), digest(HashAlg::Sha384, expected));
}

TEST(Transcript, GivesUpPastItsLimitAndFreesTheBytes) {
  Transcript t(8);
  EXPECT_TRUE(t.add(Bytes(8, 1)));
  EXPECT_FALSE(t.overLimit());
  EXPECT_FALSE(t.add(Bytes(1, 2)));
  EXPECT_TRUE(t.overLimit());
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.add(Bytes(100, 3))) << "after giving up, nothing more is kept (and nothing more reported)";
  EXPECT_EQ(t.size(), 0u);
}

TEST(Transcript, FinishFreesTheBytes) {
  Transcript t;
  t.add(Bytes(100, 7));
  t.finish();
  EXPECT_TRUE(t.finished());
  EXPECT_FALSE(t.overLimit());
  EXPECT_EQ(t.size(), 0u);
}
