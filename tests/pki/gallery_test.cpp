// Every catalog entry, verified the way a correct client does (lab root
// only, host name without CN fallback, security level 2), must give exactly
// the OpenSSL error the gallery promises, at the promised depth -- both for
// the committed certs/ and for a freshly generated PKI.
#include <gtest/gtest.h>

#include "PkiTestSupport.hpp"
#include "tlslab/pki/Catalog.hpp"
#include "tlslab/pki/Verify.hpp"

namespace tlslab::pki {
namespace {

enum class Source { Committed, Generated };

struct Case {
  const CatalogEntry* entry;
  Source source;
};

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (Source source : {Source::Committed, Source::Generated}) {
    for (const auto& entry : catalog()) cases.push_back({&entry, source});
  }
  return cases;
}

std::string caseName(const testing::TestParamInfo<Case>& info) {
  std::string name = std::string(info.param.source == Source::Committed ? "committed_" : "generated_") +
                     std::string(info.param.entry->name);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

class CatalogEntryVerification : public testing::TestWithParam<Case> {
 protected:
  std::filesystem::path dir() const {
    return GetParam().source == Source::Committed ? test::committedCerts() : test::generatedCerts();
  }
};

TEST_P(CatalogEntryVerification, CorrectClientReportsTheExpectedErrorAtTheExpectedDepth) {
  const CatalogEntry& entry = *GetParam().entry;
  auto verdict = verifyEntry(dir(), entry, clientOptions(entry));
  ASSERT_TRUE(verdict) << verdict.error();
  EXPECT_EQ(verdict->errorName, verifyErrorName(entry.expectedError));
  EXPECT_EQ(verdict->errorCode, entry.expectedError);
  EXPECT_EQ(verdict->errorDepth, entry.expectedDepth);
  EXPECT_EQ(verdict->ok, entry.expectedError == 0);
}

TEST_P(CatalogEntryVerification, StepsCoverEveryDepthOfTheBuiltChainInOrder) {
  const CatalogEntry& entry = *GetParam().entry;
  auto verdict = verifyEntry(dir(), entry, clientOptions(entry));
  ASSERT_TRUE(verdict) << verdict.error();
  ASSERT_FALSE(verdict->steps.empty());
  for (std::size_t i = 0; i < verdict->steps.size(); ++i) {
    const auto& step = verdict->steps[i];
    EXPECT_EQ(step.depth, static_cast<int>(i));
    EXPECT_FALSE(step.subject.empty());
    EXPECT_FALSE(step.notBefore.empty());
    // The step at the error depth carries the error; the others are clean or
    // carry a later error of their own, never X509_V_OK with ok=false.
    EXPECT_EQ(step.ok, step.errorCode == 0) << "depth " << i;
  }
  if (entry.expectedDepth >= 0) {
    ASSERT_LT(static_cast<std::size_t>(entry.expectedDepth), verdict->steps.size());
    const auto& failed = verdict->steps[static_cast<std::size_t>(entry.expectedDepth)];
    EXPECT_FALSE(failed.ok);
    EXPECT_EQ(failed.errorCode, entry.expectedError);
    EXPECT_FALSE(failed.errorText.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(LabPki, CatalogEntryVerification, testing::ValuesIn(allCases()), caseName);

TEST(Catalog, NamesAreUniqueAndFindable) {
  for (const auto& entry : catalog()) {
    ASSERT_NE(findEntry(entry.name), nullptr) << entry.name;
    EXPECT_EQ(findEntry(entry.name), &entry);
    EXPECT_FALSE(entry.teaches.empty());
  }
  EXPECT_EQ(findEntry("no-such-entry"), nullptr);
  EXPECT_EQ(findEntry(""), nullptr);
}

TEST(Catalog, HoldsEveryGalleryEntryOfTheIssue) {
  for (const char* name : {"expired", "not-yet-valid", "wrong-host", "self-signed", "untrusted-root",
                           "incomplete-chain", "leaf-signed-leaf", "cn-only", "wildcard", "rsa1024", "sha1", "revoked",
                           "name-constraints", "wrong-eku"}) {
    const CatalogEntry* entry = findEntry(name);
    ASSERT_NE(entry, nullptr) << name;
    EXPECT_EQ(entry->kind, EntryKind::Gallery);
    EXPECT_NE(entry->expectedError, 0) << name;
  }
}

TEST(VerifyErrorName, NamesKnownCodesAndFlagsUnknownOnes) {
  EXPECT_STREQ(verifyErrorName(0), "X509_V_OK");
  EXPECT_STREQ(verifyErrorName(X509_V_ERR_CERT_HAS_EXPIRED), "X509_V_ERR_CERT_HAS_EXPIRED");
  EXPECT_STREQ(verifyErrorName(X509_V_ERR_HOSTNAME_MISMATCH), "X509_V_ERR_HOSTNAME_MISMATCH");
  EXPECT_STREQ(verifyErrorName(-7), "X509_V_ERR_UNKNOWN");
  EXPECT_STREQ(verifyErrorName(100000), "X509_V_ERR_UNKNOWN");
}

}  // namespace
}  // namespace tlslab::pki
