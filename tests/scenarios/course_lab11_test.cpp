// Lab 11 (forward secrecy) checked the way a student works: the answers are
// read off the workspace's captures with the dissector and the server key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "CourseCaptureSupport.hpp"
#include "support/LabConfigs.hpp"
#include "tlslab/scenarios/PairLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

keys::KeyStore withServerKey(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addPrivateKeyFile(ws.dir / "server.key"));
  return store;
}

// What `tlslab lab run handshake --tls <version> --save mine.pcapng` leaves in
// the workspace: the run's pcapng and, beside it, its ephemeral keys.
void saveOwnRun(const Workspace& ws, const std::string& version = "1.2") {
  scenarios::PairLabOptions options;
  options.certsDir = test::labCerts();
  options.tls = version;
  scenarios::PairLabRun run = scenarios::runPairLab(scenarios::PairLab::Handshake, options);
  ASSERT_TRUE(run.ok()) << run.setupError;
  scenarios::RunTrace traced = scenarios::traceOfRun(run.legs(), "lab: handshake");
  ASSERT_FALSE(traced.ephemeralKeys.empty());
  std::ofstream(ws.dir / "mine.pcapng", std::ios::binary) << traced.pcapng;
  std::ofstream(ws.dir / "mine.ephemeral-keys") << keys::ephemeralKeyText(traced.ephemeralKeys);
}

// The pre-master secret of the saved run, derived from its ephemeral keys.
std::string ownPreMaster(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addEphemeralKeyFile(ws.dir / "mine.ephemeral-keys"));
  model::Trace own = test::dissectedWith(ws.dir / "mine.pcapng", store);
  if (own.connections.empty()) return {};
  const model::DerivationStep* pms = test::stepNamed(own.connections[0], "pre_master_secret");
  return pms ? toHex(pms->output) : std::string();
}

// What a student finds with `tlslab dissect … --rsa-key server.key`.
std::string studentAnswers(const Workspace& ws) {
  keys::KeyStore store = withServerKey(ws);
  model::Trace rsa = test::dissectedWith(ws.dir / "rsa-kx.pcapng", store);
  model::Trace ecdhe = test::dissectedWith(ws.dir / "ecdhe.pcapng", store);
  if (rsa.connections.size() != 1 || ecdhe.connections.size() != 1) {
    ADD_FAILURE() << "each capture holds one connection";
    return {};
  }
  const std::string sent = test::clientText(rsa.connections[0]);
  const std::string body = sent.substr(sent.find("\r\n\r\n") + 4);
  const model::DerivationStep* pms = test::stepNamed(rsa.connections[0], "pre_master_secret");
  EXPECT_NE(pms, nullptr);
  std::string signedMessage, notDerivable;
  for (const auto& m : ecdhe.connections[0].messages)
    if (m.name == "ServerKeyExchange") signedMessage = m.name;
  for (const auto& step : ecdhe.connections[0].derivation)
    if (step.status == model::StepStatus::NotDerivable && notDerivable.empty()) notDerivable = step.name;
  return "rsa_secret: " + body + "\npre_master_secret: " + (pms ? toHex(pms->output) : "") +
         "\necdhe_key_signs: " + signedMessage + "\necdhe_not_derivable: " + notDerivable +
         "\nown_pre_master_secret: " + (fs::exists(ws.dir / "mine.pcapng") ? ownPreMaster(ws) : "") + "\n";
}

}  // namespace

TEST(CourseLab11, AnswersReadOffTheCapturesPassEveryCheck) {
  Workspace ws = test::startLabWorkspace(11, "alice");
  saveOwnRun(ws);
  const std::string answers = studentAnswers(ws);
  LabReport report = test::checkAnswers(11, ws, answers);
  for (const auto& r : report.results) EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << answers;
  fs::remove_all(ws.dir);
}

TEST(CourseLab11, TheServerKeyOpensTheRsaCaptureButNotTheEcdheOne) {
  Workspace ws = test::startLabWorkspace(11, "grace");
  keys::KeyStore none;
  model::Trace bare = test::dissectedWith(ws.dir / "rsa-kx.pcapng", none);
  ASSERT_EQ(bare.connections.size(), 1u);
  EXPECT_TRUE(bare.connections[0].appData.empty()) << "the captures must carry no keys";
  keys::KeyStore store = withServerKey(ws);
  model::Trace rsa = test::dissectedWith(ws.dir / "rsa-kx.pcapng", store);
  model::Trace ecdhe = test::dissectedWith(ws.dir / "ecdhe.pcapng", store);
  ASSERT_EQ(rsa.connections.size(), 1u);
  ASSERT_EQ(ecdhe.connections.size(), 1u);
  EXPECT_EQ(rsa.connections[0].decryption.kind, model::Decryption::Kind::Decrypted);
  EXPECT_NE(test::clientText(rsa.connections[0]).find(ws.info.variant().password("rsa-secret")), std::string::npos);
  EXPECT_TRUE(ecdhe.connections[0].appData.empty());
  EXPECT_NE(ecdhe.connections[0].decryption.text.find("forward secrecy"), std::string::npos) << ecdhe.connections[0].decryption.text;
  fs::remove_all(ws.dir);
}

TEST(CourseLab11, WrongAnswersFailWithTheirExplanation) {
  Workspace ws = test::startLabWorkspace(11, "dave");
  keys::KeyStore store = withServerKey(ws);
  model::Trace rsa = test::dissectedWith(ws.dir / "rsa-kx.pcapng", store);
  ASSERT_EQ(rsa.connections.size(), 1u);
  const model::DerivationStep* master = nullptr;
  for (const auto& step : rsa.connections[0].derivation)
    if (step.name.rfind("master_secret", 0) == 0) master = &step;
  ASSERT_NE(master, nullptr);
  const std::string wrong = "rsa_secret: POST /note HTTP/1.1\npre_master_secret: " + toHex(master->output) +
                            "\necdhe_key_signs: ClientKeyExchange\necdhe_not_derivable: master_secret\n";
  LabReport report = test::checkAnswers(11, ws, wrong);
  EXPECT_EQ(report.passed(), 0);
  EXPECT_NE(test::resultOf(report, "rsa_secret").detail.find("HTTP request"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "pre_master_secret").detail.find("that is the master secret"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "ecdhe_key_signs").detail.find("ephemeral public key"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "ecdhe_not_derivable").detail.find("follows from an earlier value"), std::string::npos);
  LabReport shortHex = test::checkAnswers(11, ws, "pre_master_secret: 0303aabb\n");
  EXPECT_NE(test::resultOf(shortHex, "pre_master_secret").detail.find("48 bytes"), std::string::npos);
  LabReport certificate = test::checkAnswers(11, ws, "ecdhe_key_signs: Certificate\n");
  EXPECT_NE(test::resultOf(certificate, "ecdhe_key_signs").detail.find("signed by the CA"), std::string::npos);
  EXPECT_EQ(test::resultOf(test::checkAnswers(11, ws, ""), "rsa_secret").verdict, Verdict::Missing);
  fs::remove_all(ws.dir);
}

TEST(CourseLab11, TwoStudentsCannotPassWithEachOthersAnswersOrCaptures) {
  Workspace erin = test::startLabWorkspace(11, "erin");
  Workspace frank = test::startLabWorkspace(11, "frank");
  const std::string erinAnswers = studentAnswers(erin);
  EXPECT_NE(erinAnswers, studentAnswers(frank));
  LabReport copied = test::checkAnswers(11, frank, erinAnswers);
  EXPECT_EQ(test::resultOf(copied, "rsa_secret").verdict, Verdict::Fail);
  EXPECT_EQ(test::resultOf(copied, "pre_master_secret").verdict, Verdict::Fail);
  // Erin's capture and key in Frank's workspace: the pre-master secret is Erin's, not his.
  fs::copy_file(erin.dir / "rsa-kx.pcapng", frank.dir / "rsa-kx.pcapng", fs::copy_options::overwrite_existing);
  fs::copy_file(erin.dir / "server.key", frank.dir / "server.key", fs::copy_options::overwrite_existing);
  LabReport borrowed = test::checkAnswers(11, frank, erinAnswers);
  EXPECT_NE(test::resultOf(borrowed, "pre_master_secret").detail.find("not the capture made for you"), std::string::npos);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}

TEST(CourseLab11, TheOwnRunsPreMasterSecretComesOnlyFromItsEphemeralKey) {
  Workspace ws = test::startLabWorkspace(11, "ivan");
  LabReport none = test::checkAnswers(11, ws, "own_pre_master_secret: 00\n");
  EXPECT_NE(test::resultOf(none, "own_pre_master_secret").detail.find("are not both in your workspace"), std::string::npos);
  saveOwnRun(ws);
  const std::string right = ownPreMaster(ws);
  ASSERT_EQ(right.size(), 64u);  // x25519: 32 bytes
  EXPECT_EQ(test::resultOf(test::checkAnswers(11, ws, "own_pre_master_secret: " + right + "\n"), "own_pre_master_secret")
                .verdict,
            Verdict::Pass);
  // Without the key file the capture's own key log starts at the master secret.
  keys::KeyStore logOnly;
  model::Trace bare = test::dissectedWith(ws.dir / "mine.pcapng", logOnly);
  ASSERT_EQ(bare.connections.size(), 1u);
  const model::DerivationStep* master = nullptr;
  for (const auto& step : bare.connections[0].derivation) {
    if (step.name == "pre_master_secret") {
      EXPECT_EQ(step.status, model::StepStatus::NotDerivable);
    }
    if (step.name.rfind("master_secret", 0) == 0) master = &step;
  }
  ASSERT_NE(master, nullptr);
  LabReport wrongMaster = test::checkAnswers(11, ws, "own_pre_master_secret: " + toHex(master->output) + "\n");
  EXPECT_NE(test::resultOf(wrongMaster, "own_pre_master_secret").detail.find("that is the master secret"), std::string::npos);
  keys::KeyStore store;
  ASSERT_TRUE(store.addEphemeralKeyFile(ws.dir / "mine.ephemeral-keys"));
  LabReport privateKey =
      test::checkAnswers(11, ws, "own_pre_master_secret: " + toHex(store.ephemeralKeys()[0].pair.privateKey) + "\n");
  EXPECT_NE(test::resultOf(privateKey, "own_pre_master_secret").detail.find("one of the ephemeral keys"), std::string::npos);
  saveOwnRun(ws, "1.3");
  LabReport tls13 = test::checkAnswers(11, ws, "own_pre_master_secret: " + right + "\n");
  EXPECT_NE(test::resultOf(tls13, "own_pre_master_secret").detail.find("TLS 1.3"), std::string::npos);
  fs::remove_all(ws.dir);
}
