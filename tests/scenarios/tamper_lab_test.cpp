// The tamper lab's comparisons (tutorials/02-tampering.md): the same attacks over
// cleartext TCP, where the server's application takes the altered request,
// and over TLS 1.2 with a CBC suite (MAC-then-encrypt and encrypt-then-MAC)
// and an AEAD one, and TLS 1.3, where it never does.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/PairLab.hpp"

using namespace tlslab::scenarios;
using Action = tlslab::endpoints::Tamper::Action;

namespace {

constexpr const char* kRequest = "GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n";

PairLabOptions tamperOptions(Action action) {
  PairLabOptions options;
  options.certsDir = tlslab::test::labCerts();
  options.tamper = action;
  return options;
}

PairLabRun runTamper(const PairLabOptions& options) {
  PairLabRun run = runPairLab(PairLab::Tamper, options);
  EXPECT_TRUE(run.setupError.empty()) << run.setupError;
  return run;
}

bool anyLineHas(const TamperVerdict& verdict, const std::string& text) {
  auto lines = verdict.lines();
  return std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return l.find(text) != std::string::npos; });
}

std::string allLines(const TamperVerdict& verdict) {
  std::string out;
  for (const auto& line : verdict.lines()) out += line + "\n";
  return out;
}

}  // namespace

// --plain: 'G' ^ 0x01 = 'F', and the server answers "FET / HTTP/1.1".
TEST(TamperLabPlain, FlippedByteReachesTheServersApplication) {
  PairLabOptions options = tamperOptions(Action::FlipByte);
  options.plain = true;
  PairLabRun run = runTamper(options);
  ASSERT_EQ(run.runs.size(), 1u);
  EXPECT_TRUE(run.runs[0].scriptOk) << run.runs[0].error;  // nobody noticed: the page came back
  EXPECT_NE(run.runs[0].received.find("You asked: FET / HTTP/1.1"), std::string::npos) << run.runs[0].received;
  const TamperVerdict verdict = tamperVerdict(run);
  EXPECT_TRUE(verdict.plain);
  EXPECT_EQ(verdict.sent, kRequest);
  EXPECT_EQ(verdict.delivered, "FET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n");
  EXPECT_FALSE(verdict.genuine());
  EXPECT_FALSE(verdict.noticed());
  EXPECT_TRUE(verdict.asExpected());
  EXPECT_NE(verdict.attack.find("'G' -> 'F'"), std::string::npos) << verdict.attack;
  EXPECT_TRUE(anyLineHas(verdict, "✗ the server's application received the altered request: \"FET / HTTP/1.1\\r\\n"))
      << allLines(verdict);
  EXPECT_TRUE(anyLineHas(verdict, "nothing noticed")) << allLines(verdict);
  // The capture shows the same altered bytes, in the clear.
  RunTrace traced = traceOfRun(run.legs(), "lab: tamper");
  EXPECT_EQ(tamperCaptureLine(verdict, run, traced),
            "the capture of the run shows the altered bytes in the clear: \"FET / HTTP/1.1\\r\\nHost: bank32.com\\r\\n\\r\\n\"");
}

TEST(TamperLabPlain, OffsetAndMaskChooseTheByteAndBits) {
  PairLabOptions options = tamperOptions(Action::FlipByte);
  options.plain = true;
  options.tamperOffset = 22;  // the 'b' of bank32.com, in the second write
  options.tamperMask = 0x20;  // lower case to upper case
  const TamperVerdict verdict = tamperVerdict(runTamper(options));
  EXPECT_EQ(verdict.delivered, "GET / HTTP/1.1\r\nHost: Bank32.com\r\n\r\n");
  EXPECT_NE(verdict.attack.find("cleartext write 1 (20 bytes) byte 22 of the request flipped in flight (mask 0x20): 'b' -> 'B'"),
            std::string::npos)
      << verdict.attack;
}

TEST(TamperLabPlain, DropDuplicateAndTruncateGoUnnoticed) {
  for (Action action : {Action::Drop, Action::Duplicate, Action::Truncate}) {
    PairLabOptions options = tamperOptions(action);
    options.plain = true;
    const TamperVerdict verdict = tamperVerdict(runTamper(options));
    EXPECT_TRUE(verdict.asExpected()) << allLines(verdict);
    EXPECT_EQ(verdict.serverError, "") << allLines(verdict);
    switch (action) {
      case Action::Drop: EXPECT_EQ(verdict.delivered, "Host: bank32.com\r\n\r\n"); break;
      case Action::Duplicate: EXPECT_EQ(verdict.delivered, "GET / HTTP/1.1\r\nGET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"); break;
      case Action::Truncate:
        EXPECT_EQ(verdict.delivered, "");
        EXPECT_TRUE(anyLineHas(verdict, "took the cut for a normal end of the connection")) << allLines(verdict);
        break;
      default: FAIL();
    }
  }
}

struct SuiteCase {
  const char* name;
  const char* tls;
  const char* ciphers;
  bool macThenEncrypt;
  const char* construction;  // RecordCrypto::construction the capture reports
};

class TamperLabSuites : public ::testing::TestWithParam<SuiteCase> {};

// Whatever the record protection, a flipped bit is refused with the same
// alert, no byte reaches the application, and the capture says which check failed.
TEST_P(TamperLabSuites, FlipIsRefusedWithBadRecordMac) {
  const SuiteCase& c = GetParam();
  for (long offset : {-1L, 5L}) {  // the last byte (tag, MAC or padding) and the first after the header
    PairLabOptions options = tamperOptions(Action::FlipByte);
    options.tls = c.tls;
    options.ciphers = c.ciphers;
    options.macThenEncrypt = c.macThenEncrypt;
    options.tamperOffset = offset;
    options.tamperMask = 0x80;
    PairLabRun run = runTamper(options);
    const TamperVerdict verdict = tamperVerdict(run);
    EXPECT_TRUE(verdict.detected()) << allLines(verdict);
    EXPECT_EQ(verdict.serverAlert, "fatal bad record mac");
    EXPECT_EQ(verdict.delivered, "");
    EXPECT_NE(verdict.attack.find("(mask 0x80)"), std::string::npos) << verdict.attack;
    if (offset == 5) {
      EXPECT_NE(verdict.attack.find("byte 5 flipped"), std::string::npos) << verdict.attack;
    }
    RunTrace traced = traceOfRun(run.legs(), "lab: tamper");
    ASSERT_TRUE(traced.error.empty()) << traced.error;
    EXPECT_NE(recordProtection(traced).find(c.construction), std::string::npos) << recordProtection(traced);
    EXPECT_EQ(tamperCaptureLine(verdict, run, traced).rfind("the capture of the run agrees: record", 0), 0u)
        << tamperCaptureLine(verdict, run, traced);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Protection, TamperLabSuites,
    ::testing::Values(SuiteCase{"Tls12CbcMacThenEncrypt", "1.2", "AES128-SHA", true, "MAC-then-encrypt"},
                      SuiteCase{"Tls12CbcEncryptThenMac", "1.2", "AES128-SHA", false, "encrypt-then-MAC"},
                      SuiteCase{"Tls12Aead", "1.2", "ECDHE-RSA-AES128-GCM-SHA256", false, "AEAD"},
                      SuiteCase{"Tls13", "1.3", "", false, "AEAD"}),
    [](const auto& param) { return std::string(param.param.name); });

// The replay: the first copy is genuine and accepted, the copy refused.
TEST(TamperLab, DuplicateDeliversOnlyTheGenuineFirstCopy) {
  for (const char* tls : {"1.2", "1.3"}) {
    PairLabOptions options = tamperOptions(Action::Duplicate);
    options.tls = tls;
    const TamperVerdict verdict = tamperVerdict(runTamper(options));
    EXPECT_EQ(verdict.delivered, "GET / HTTP/1.1\r\n") << tls;
    EXPECT_TRUE(verdict.genuine());
    EXPECT_TRUE(verdict.detected());
    EXPECT_TRUE(anyLineHas(verdict, "that is the first copy, and the replayed copy was refused")) << allLines(verdict);
  }
}

TEST(TamperLab, TruncationIsNamedInTheCaptureLineNotAsAnError) {
  PairLabRun run = runTamper(tamperOptions(Action::Truncate));
  const TamperVerdict verdict = tamperVerdict(run);
  RunTrace traced = traceOfRun(run.legs(), "lab: tamper");
  EXPECT_EQ(tamperCaptureLine(verdict, run, traced),
            "the capture of the run agrees: of the 36 bytes the client's application wrote, 0 crossed the wire; "
            "the connection ends there, without the client's close_notify");
}

TEST(TamperLab, SelfCheckNotesSayWhatEachAttackDid) {
  EXPECT_NE(std::string(tamperSelfCheckNote(Action::FlipByte)).find("flipped bits"), std::string::npos);
  EXPECT_NE(std::string(tamperSelfCheckNote(Action::Drop)).find("dropped the record before this one"), std::string::npos);
  EXPECT_NE(std::string(tamperSelfCheckNote(Action::Duplicate)).find("replayed a record"), std::string::npos);
  EXPECT_NE(std::string(tamperSelfCheckNote(Action::Truncate)).find("cut the connection"), std::string::npos);
}

TEST(TamperLab, OptionsThatMakeNoSenseAreRefusedBeforeAnyRun) {
  PairLabOptions options = tamperOptions(Action::FlipByte);
  options.ciphers = "AES128-SHA";
  EXPECT_NE(checkPairLabOptions(PairLab::Tamper, options).find("add --tls 1.2"), std::string::npos);
  options = tamperOptions(Action::Drop);
  options.tamperOffset = 3;
  EXPECT_NE(checkPairLabOptions(PairLab::Tamper, options).find("drop works on a whole record"), std::string::npos);
  options = tamperOptions(Action::FlipByte);
  options.tamperMask = 0;
  EXPECT_NE(checkPairLabOptions(PairLab::Tamper, options).find("flips no bit"), std::string::npos);
  options = tamperOptions(Action::FlipByte);
  options.plain = true;
  options.tamperOffset = 36;
  EXPECT_NE(checkPairLabOptions(PairLab::Tamper, options).find("past the end of the 36-byte request"), std::string::npos);
  options.tamperOffset = 35;
  EXPECT_EQ(checkPairLabOptions(PairLab::Tamper, options), "");
  options = tamperOptions(Action::FlipByte);
  options.plain = true;
  EXPECT_NE(checkPairLabOptions(PairLab::Resumption, options).find("needs TLS"), std::string::npos);
  PairLabRun refused = runPairLab(PairLab::Resumption, options);
  EXPECT_TRUE(refused.runs.empty());
  EXPECT_FALSE(refused.setupError.empty());
}
