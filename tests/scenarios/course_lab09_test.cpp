// Lab 9 (keys by hand): the values a student reproduces pass; a wrong one is
// explained by the first wrong value upstream or by what it is instead,
// never by giving the right one away; each student's materials are their own.
#include <gtest/gtest.h>

#include <filesystem>

#include "CourseCaptureSupport.hpp"
#include "tlslab/crypto/CipherSuite.hpp"
#include "tlslab/crypto/Kdf.hpp"

using namespace tlslab;
using namespace tlslab::course;
namespace fs = std::filesystem;

namespace {

using Workspace = test::StartedWorkspace;

model::TraceConnection tls12(const Workspace& ws) {
  keys::KeyStore store;
  EXPECT_TRUE(store.addKeyLogFile(ws.dir / "tls12.keylog"));
  model::Trace trace = test::dissectedWith(ws.dir / "tls12.pcapng", store);
  EXPECT_EQ(trace.connections.size(), 1u);
  return trace.connections.empty() ? model::TraceConnection{} : trace.connections[0];
}

std::string hexOf(const model::TraceConnection& c, const std::string& step) {
  const model::DerivationStep* s = test::stepNamed(c, step);
  EXPECT_NE(s, nullptr) << "no step " << step;
  return s ? toHex(s->output) : std::string();
}

// The TLS 1.2 values as `tlslab dissect --keylog` shows them, which a student reproduces by hand.
std::string tls12Answers(const Workspace& ws) {
  const model::TraceConnection c = tls12(ws);
  return "tls12_key_block: " + hexOf(c, "key_block") + "\ntls12_client_write_key: " + hexOf(c, "client_write_key") +
         "\ntls12_client_write_iv: " + hexOf(c, "client_write_IV (salt)") +
         "\ntls12_client_verify_data: " + hexOf(c, "client Finished verify_data") +
         "\ntls12_not_derivable: pre-master secret\n";
}

}  // namespace

TEST(CourseLab09, ValuesReproducedFromTheKeyLogPassEveryTls12Check) {
  Workspace ws = test::startLabWorkspace(9, "alice");
  const std::string answers = tls12Answers(ws);
  LabReport report = test::checkAnswers(9, ws, answers);
  for (const auto& r : report.results) {
    if (r.id.rfind("tls12_", 0) != 0) continue;
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.id << ": " << r.detail << "\n" << answers;
  }
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, AWrongValueNamesTheFirstWrongOneUpstreamOrWhatItIs) {
  Workspace ws = test::startLabWorkspace(9, "dave");
  const model::TraceConnection c = tls12(ws);
  const Bytes master = *fromHex(hexOf(c, "master_secret"));
  const std::size_t blockLength = hexOf(c, "key_block").size() / 2;
  const crypto::CipherSuite* suite = crypto::findSuite(c.negotiated.suite);
  ASSERT_NE(suite, nullptr);
  // The classic mistake: the master secret's seed order (client random first) for the key block.
  Bytes seed = c.clientRandom;
  seed.insert(seed.end(), c.serverRandom.begin(), c.serverRandom.end());
  const std::string reversed = toHex(crypto::prfRaw(suite->prfHash, master, "key expansion", seed, blockLength));
  const std::string keyFromReversed = reversed.substr(0, suite->keyLength * 2);
  const std::string wrong = "tls12_key_block: " + reversed + "\ntls12_client_write_key: " + keyFromReversed +
                            "\ntls12_client_write_iv: " + hexOf(c, "server_write_IV (salt)") +
                            "\ntls12_client_verify_data: " + hexOf(c, "server Finished verify_data") +
                            "\ntls12_not_derivable: master_secret\n";
  LabReport report = test::checkAnswers(9, ws, wrong);
  const CheckResult& block = test::resultOf(report, "tls12_key_block");
  EXPECT_EQ(block.verdict, Verdict::Fail);
  EXPECT_NE(block.detail.find("the other way round"), std::string::npos) << block.detail;
  EXPECT_EQ(block.hint.find(hexOf(c, "key_block")), std::string::npos) << "the hint must not give the value away";
  const CheckResult& key = test::resultOf(report, "tls12_client_write_key");
  EXPECT_NE(key.detail.find("your tls12_key_block is already wrong: the first value to fix"), std::string::npos) << key.detail;
  const CheckResult& iv = test::resultOf(report, "tls12_client_write_iv");
  EXPECT_NE(iv.detail.find("made from tls12_key_block"), std::string::npos) << iv.detail;
  EXPECT_NE(test::resultOf(report, "tls12_client_verify_data").detail.find("the server's verify_data"), std::string::npos);
  EXPECT_NE(test::resultOf(report, "tls12_not_derivable").detail.find("is in tls12.keylog"), std::string::npos);
  // With the key block right, a wrong slice is judged on its own.
  LabReport slice = test::checkAnswers(9, ws, "tls12_key_block: " + hexOf(c, "key_block") +
                                                  "\ntls12_client_write_iv: " + hexOf(c, "server_write_IV (salt)") +
                                                  "\ntls12_client_write_key: 00112233\n");
  EXPECT_NE(test::resultOf(slice, "tls12_client_write_iv").detail.find("the server's write IV"), std::string::npos);
  EXPECT_NE(test::resultOf(slice, "tls12_client_write_key").detail.find("has " + std::to_string(suite->keyLength) + " bytes"),
            std::string::npos);
  LabReport notHex = test::checkAnswers(9, ws, "tls12_key_block: the key block\n");
  EXPECT_NE(test::resultOf(notHex, "tls12_key_block").detail.find("is not hex"), std::string::npos);
  fs::remove_all(ws.dir);
}

TEST(CourseLab09, TwoStudentsMaterialsDifferAndCopiedValuesFail) {
  Workspace erin = test::startLabWorkspace(9, "erin");
  Workspace frank = test::startLabWorkspace(9, "frank");
  const std::string erinAnswers = tls12Answers(erin);
  EXPECT_NE(erinAnswers, tls12Answers(frank));
  LabReport copied = test::checkAnswers(9, frank, erinAnswers);
  EXPECT_EQ(test::resultOf(copied, "tls12_key_block").verdict, Verdict::Fail);
  // Erin's capture and key log in Frank's workspace are not his.
  fs::copy_file(erin.dir / "tls12.pcapng", frank.dir / "tls12.pcapng", fs::copy_options::overwrite_existing);
  fs::copy_file(erin.dir / "tls12.keylog", frank.dir / "tls12.keylog", fs::copy_options::overwrite_existing);
  LabReport borrowed = test::checkAnswers(9, frank, erinAnswers);
  EXPECT_NE(test::resultOf(borrowed, "tls12_key_block").detail.find("not the ones made for you"), std::string::npos);
  fs::remove_all(erin.dir);
  fs::remove_all(frank.dir);
}
