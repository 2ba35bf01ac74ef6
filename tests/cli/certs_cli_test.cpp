// `tlslab certs ...` and the main job, run as the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "support/TestPaths.hpp"

namespace tlslab::test {
namespace {
namespace fs = std::filesystem;

CommandResult tlslab(const std::string& args) { return run(tlslabExe().string() + " " + args); }

bool has(const CommandResult& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

TEST(CertsVerifyCli, ExpiredPrintsEveryDepthWithTheExpiryErrorAndExitsOne) {
  auto r = tlslab("certs verify expired");
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_TRUE(has(r, "depth 0  subject   CN=bank32.com,O=tlslab")) << r.out;
  EXPECT_TRUE(has(r, "depth 1  subject   CN=tlslab Issuing CA,O=tlslab")) << r.out;
  EXPECT_TRUE(has(r, "depth 2  subject   CN=tlslab Root CA,O=tlslab")) << r.out;
  EXPECT_TRUE(has(r, "2000-01-01 00:00:00 UTC .. 2001-01-01 00:00:00 UTC")) << r.out;
  EXPECT_TRUE(has(r, "FAIL X509_V_ERR_CERT_HAS_EXPIRED (10): certificate has expired")) << r.out;
  EXPECT_TRUE(has(r, "Verdict: FAIL at depth 0")) << r.out;
}

TEST(CertsVerifyCli, GoodServerVerifiesAndExitsZero) {
  auto r = tlslab("certs verify bank32-rsa");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "Verdict: OK")) << r.out;
}

TEST(CertsVerifyCli, UnknownNameExitsTwo) {
  auto r = tlslab("certs verify no-such-entry");
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_TRUE(has(r, "unknown name 'no-such-entry'")) << r.out;
}

TEST(CertsVerifyCli, UnknownTrustStoreExitsTwo) {
  auto r = tlslab("certs verify bank32-rsa --trust system");
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_TRUE(has(r, "unknown trust store 'system'")) << r.out;
}

TEST(CertsVerifyCli, HostOverrideDecidesTheWildcardVerdict) {
  EXPECT_EQ(tlslab("certs verify wildcard --host www.bank32.com").exitCode, 0);
  auto r = tlslab("certs verify wildcard --host a.b.bank32.com");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r, "X509_V_ERR_HOSTNAME_MISMATCH")) << r.out;
}

TEST(CertsVerifyCli, CnFallbackFlagAcceptsCnOnly) {
  EXPECT_EQ(tlslab("certs verify cn-only").exitCode, 1);
  auto r = tlslab("certs verify cn-only --cn-fallback");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "SAN, else subject CN")) << r.out;
}

TEST(CertsVerifyCli, NoHostLetsTheWrongHostThrough) {
  EXPECT_EQ(tlslab("certs verify wrong-host --no-host").exitCode, 0);
}

TEST(CertsVerifyCli, TrustingTheRogueCaAcceptsItsCertificate) {
  EXPECT_EQ(tlslab("certs verify untrusted-root --trust lab+rogue").exitCode, 0);
}

TEST(CertsVerifyCli, HashedTrustFindsTheCrl) {
  auto r = tlslab("certs verify revoked --trust hashed");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r, "X509_V_ERR_CERT_REVOKED")) << r.out;
}

TEST(CertsVerifyCli, MissingCertsFolderExitsTwoNamingIt) {
  auto r = tlslab("certs verify bank32-rsa --certs /nonexistent/tlslab-certs");
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_TRUE(has(r, "/nonexistent/tlslab-certs")) << r.out;
}

class CertsVerifyGalleryCli : public testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(CertsVerifyGalleryCli, PrintsTheExpectedErrorAndExitsOne) {
  auto r = tlslab(std::string("certs verify ") + GetParam().first);
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_TRUE(has(r, std::string("Verdict: FAIL at depth ") + (std::string(GetParam().first) == "leaf-signed-leaf" ? "1" : "0") +
                         ": " + GetParam().second))
      << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Gallery, CertsVerifyGalleryCli,
    testing::Values(std::pair{"expired", "X509_V_ERR_CERT_HAS_EXPIRED"},
                    std::pair{"not-yet-valid", "X509_V_ERR_CERT_NOT_YET_VALID"},
                    std::pair{"wrong-host", "X509_V_ERR_HOSTNAME_MISMATCH"},
                    std::pair{"self-signed", "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT"},
                    std::pair{"untrusted-root", "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"},
                    std::pair{"incomplete-chain", "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"},
                    std::pair{"leaf-signed-leaf", "X509_V_ERR_INVALID_CA"},
                    std::pair{"cn-only", "X509_V_ERR_HOSTNAME_MISMATCH"},
                    std::pair{"wildcard", "X509_V_ERR_HOSTNAME_MISMATCH"},
                    std::pair{"rsa1024", "X509_V_ERR_EE_KEY_TOO_SMALL"},
                    std::pair{"sha1", "X509_V_ERR_CA_MD_TOO_WEAK"},
                    std::pair{"revoked", "X509_V_ERR_CERT_REVOKED"},
                    std::pair{"name-constraints", "X509_V_ERR_PERMITTED_VIOLATION"},
                    std::pair{"wrong-eku", "X509_V_ERR_INVALID_PURPOSE"}),
    [](const testing::TestParamInfo<std::pair<const char*, const char*>>& param) {
      std::string name = param.param.first;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(CertsListCli, ListsEveryEntryWithItsFiles) {
  auto r = tlslab("certs list");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* name : {"root-ca", "issuing-ca", "rogue-ca", "bank32-rsa", "bank32-ecdsa", "attacker32",
                           "mail-bank32", "student01", "expired", "wrong-eku", "name-constraints", "hashed"}) {
    EXPECT_TRUE(has(r, std::string("  ") + name + " ")) << name << "\n" << r.out;
  }
  EXPECT_TRUE(has(r, "gallery/revoked/: cert.pem chain.pem key.pem")) << r.out;
  EXPECT_FALSE(has(r, "(missing)")) << r.out;
}

TEST(CertsShowCli, DecodesACertificateRelativeToTheCertsFolder) {
  auto r = tlslab("certs show bank32-rsa/cert.pem");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "subjectAltName [")) << r.out;
  EXPECT_TRUE(has(r, "DNS:bank32.com, DNS:www.bank32.com")) << r.out;
  EXPECT_TRUE(has(r, "RFC 5280 §4.2.1.6")) << r.out;
}

TEST(CertsShowCli, ShowsEveryCertificateOfAChainFile) {
  auto r = tlslab("certs show gallery/leaf-signed-leaf/chain.pem");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(has(r, "# certificate 3 of 3")) << r.out;
}

TEST(CertsShowCli, TruncatedCertificateIsMalformedAndExitsTwo) {
  fs::path file = fs::temp_directory_path() / ("tlslab-cli-trunc-" + std::to_string(::getpid()) + ".der");
  {
    std::ofstream out(file, std::ios::binary);
    const unsigned char bytes[] = {0x30, 0x82, 0x03, 0x00, 0x30, 0x82};
    out.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  auto r = tlslab("certs show " + file.string());
  fs::remove(file);
  EXPECT_EQ(r.exitCode, 2) << r.out;
  EXPECT_TRUE(has(r, "malformed certificate")) << r.out;
  EXPECT_TRUE(has(r, "byte offset 0")) << r.out;
}

TEST(CertsShowCli, MissingFileExitsTwo) {
  auto r = tlslab("certs show /nonexistent/cert.pem");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(has(r, "cannot read /nonexistent/cert.pem")) << r.out;
}

TEST(CertsGenerateCli, GeneratesAPkiThatVerifiesLikeTheCommittedOne) {
  fs::path dir = fs::temp_directory_path() / ("tlslab-cli-gen-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto r = tlslab("certs generate --out " + dir.string());
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "public teaching material")) << r.out;
  EXPECT_TRUE(fs::exists(dir / "gallery/expired/chain.pem"));
  EXPECT_EQ(tlslab("certs verify bank32-ecdsa --certs " + dir.string()).exitCode, 0);
  auto expired = tlslab("certs verify expired --certs " + dir.string());
  EXPECT_EQ(expired.exitCode, 1);
  EXPECT_TRUE(has(expired, "X509_V_ERR_CERT_HAS_EXPIRED")) << expired.out;
  fs::remove_all(dir);
}

TEST(CertsGenerateCli, UnwritableOutputExitsOne) {
  auto r = tlslab("certs generate --out /proc/tlslab-no");
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_TRUE(has(r, "/proc/tlslab-no")) << r.out;
}

TEST(MainJobCli, PrintsThePkiSummaryAndAllGalleryVerdictsAsExpected) {
  auto r = tlslab("");
  EXPECT_EQ(r.exitCode, 0) << r.out;
  EXPECT_TRUE(has(r, "CN=tlslab Root CA,O=tlslab")) << r.out;
  EXPECT_TRUE(has(r, "bank32.com, www.bank32.com")) << r.out;
  EXPECT_TRUE(has(r, "EC P-256")) << r.out;
  EXPECT_TRUE(has(r, "14 of 14 gallery entries rejected exactly as expected")) << r.out;
  EXPECT_TRUE(has(r, "3 slip through a client that skips the host name check")) << r.out;
  EXPECT_TRUE(has(r, "cn-only: pass with OpenSSL's default CN fallback")) << r.out;
  EXPECT_FALSE(has(r, "DIFF")) << r.out;
}

TEST(MainJobCli, DemoSubcommandPrintsTheSameAsNoArguments) {
  EXPECT_EQ(tlslab("demo").out, tlslab("").out);
}

TEST(MainJobCli, BrokenPkiFolderIsReportedAndExitsOne) {
  auto r = run("TLSLAB_HOME=/nonexistent/tlslab-home " + tlslabExe().string());
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_TRUE(has(r, "unreadable")) << r.out;
  EXPECT_TRUE(has(r, "does not behave as documented")) << r.out;
}

}  // namespace
}  // namespace tlslab::test
