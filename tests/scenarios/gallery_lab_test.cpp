// Each gallery entry served by a real OpenSSL server and judged by a real
// libssl client: the verdict must be the catalog's OpenSSL error at its depth.
#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include "support/TestPaths.hpp"
#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/VerifyTrace.hpp"

using namespace tlslab;

namespace {
std::vector<std::string> galleryNames() {
  std::vector<std::string> names;
  for (const auto& entry : pki::catalog())
    if (entry.kind == pki::EntryKind::Gallery) names.emplace_back(entry.name);
  return names;
}
}  // namespace

class GalleryLab : public ::testing::TestWithParam<std::string> {};

TEST_P(GalleryLab, CorrectClientFailsWithTheExpectedError) {
  const pki::CatalogEntry* entry = pki::findEntry(GetParam());
  ASSERT_NE(entry, nullptr);
  auto result = scenarios::runGalleryEntry(*entry, test::sourceDir() / "certs");
  ASSERT_EQ(result.setupError, "");
  EXPECT_EQ(result.correct.verify.errorCode, entry->expectedError)
      << result.correct.verify.errorName << " " << result.correct.error;
  EXPECT_EQ(result.correct.verify.errorDepth, entry->expectedDepth);
  EXPECT_FALSE(result.correct.handshakeOk);
  EXPECT_TRUE(result.asExpected());
  // The chain-only client is fooled exactly by its blind spots: entries whose
  // only flaw is the name, and the revoked one (it loads no CRL).
  bool blindSpot = entry->expectedError == X509_V_ERR_HOSTNAME_MISMATCH || entry->expectedError == X509_V_ERR_CERT_REVOKED;
  EXPECT_EQ(result.chainOnly.scriptOk, blindSpot) << result.chainOnly.error;
  EXPECT_EQ(std::string(scenarios::chainOnlyBlindSpot(*entry)).empty(), !blindSpot);
  // Every depth of the chain the correct client's OpenSSL built is in its
  // trace, reached or not (wrong-host: depths 1 and 2 after the error at 0).
  auto trace = scenarios::verifyTrace(result.correct.verify);
  EXPECT_EQ(trace.size(), result.correct.verify.builtChain.size()) << entry->name;
}

INSTANTIATE_TEST_SUITE_P(Entries, GalleryLab, ::testing::ValuesIn(galleryNames()), [](const auto& p) {
  std::string name = p.param;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
});
