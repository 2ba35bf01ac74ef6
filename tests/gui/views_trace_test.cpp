// Every detail view on real lab sessions: a real OpenSSL client and server on
// loopback (TLS 1.3 and TLS 1.2 CBC), and a MITM run with both legs, each
// turned into a Trace by scenarios::traceOfRun (the dissector reading the
// run's own wire bytes). This is what the main window hands the views.
//
// Endpoint headers first: endpoints/Events.hpp has a member named emit(),
// which Qt's `emit` keyword macro would otherwise swallow.
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"

#include <gtest/gtest.h>

#include <QRegularExpression>
#include <algorithm>

#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QTest>

#include "ViewsTestSupport.hpp"
#include "tlslab/util/Paths.hpp"
#include "tlslab/wire/Registry.hpp"
#include "views/AppDataView.hpp"
#include "views/CertificatesView.hpp"
#include "views/DerivationView.hpp"
#include "views/FieldTreeView.hpp"
#include "views/HexView.hpp"
#include "views/MessageDetailView.hpp"
#include "views/RecordCryptoView.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui::views {
namespace {

using test::app;
using namespace tlslab::endpoints;

const std::string kRequest = "GET /account HTTP/1.1\r\nHost: bank32.com\r\n\r\n";

struct Session {
  ClientRun run;
  scenarios::RunTrace traced;
};

// One echo session at a given version and suite, traced.
const Session& session(TlsVersion version, const char* suite) {
  static std::map<std::string, Session> cache;
  auto [it, fresh] = cache.try_emplace(suite);
  if (!fresh) return it->second;
  ServerConfig server;
  server.chainFile = tlslab::certsDir() / "bank32-rsa" / "chain.pem";
  server.keyFile = tlslab::certsDir() / "bank32-rsa" / "key.pem";
  server.service = Service::Echo;
  server.tls.minVersion = server.tls.maxVersion = version;
  if (version == TlsVersion::Tls1_3) server.tls.cipherSuites = suite;
  else server.tls.cipherList = suite;
  auto started = LabServer::start(server);
  EXPECT_TRUE(started) << started.error();
  if (!started) return it->second;
  ClientConfig client;
  client.host = "bank32.com";
  client.port = (*started)->port();
  client.trustFiles = {tlslab::certsDir() / "root-ca" / "cert.pem"};
  client.tls = server.tls;
  client.script = {ScriptStep::send(kRequest), ScriptStep::expect(kRequest)};
  it->second.run = runClient(client);
  EXPECT_TRUE(it->second.run.scriptOk) << it->second.run.error;
  it->second.traced = scenarios::traceOfRun({{&it->second.run}}, suite);
  EXPECT_TRUE(it->second.traced.error.empty()) << it->second.traced.error;
  return it->second;
}

struct Case {
  const char* name;
  TlsVersion version;
  const char* suite;
};

// ctest lists the case by name instead of its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class EveryView : public ::testing::TestWithParam<Case> {
 protected:
  const model::TraceConnection& connection() {
    app();
    const Session& s = session(GetParam().version, GetParam().suite);
    if (s.traced.trace.connections.size() != 1) throw std::runtime_error("expected one connection");
    return s.traced.trace.connections[0];
  }
};

TEST_P(EveryView, MessageDetailLinksEveryMessagesFieldsToItsBytes) {
  const model::TraceConnection& conn = connection();
  ASSERT_FALSE(conn.messages.empty());
  MessageDetailView view;
  int linked = 0, withoutBytes = 0;
  for (const model::TraceMessage& message : conn.messages) {
    view.setMessage(message);
    ASSERT_EQ(view.treeView()->fieldModel()->rowCount(), 1) << message.name;
    EXPECT_EQ(view.treeView()->fieldModel()->root().name, message.tree.name);
    if (message.bytes.empty()) {
      ++withoutBytes;
      continue;
    }
    // Selecting the root highlights the whole message.
    ASSERT_TRUE(view.treeView()->selectField(&view.treeView()->fieldModel()->root()));
    EXPECT_EQ(view.hexView()->selection(), (ByteRange{message.tree.offset, message.tree.length})) << message.name;
    ++linked;
  }
  EXPECT_GT(linked, 0);  // ChangeCipherSpec at least
  EXPECT_EQ(withoutBytes, 0) << "every message carries the bytes its field tree points into";
  view.setMessage(conn.messages.front());
  ASSERT_TRUE(view.selectField("random"));
  const model::Field* random = view.treeView()->currentField();
  EXPECT_EQ(view.hexView()->selection(), (ByteRange{random->offset, random->length}));
  EXPECT_EQ(random->length, 32u);
}

TEST_P(EveryView, RecordHeadersLinkTheirFieldsToTheWireBytes) {
  const model::TraceConnection& conn = connection();
  MessageDetailView view;
  view.resize(800, 600);
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  for (const model::TraceRecord& record : conn.records) {
    view.setRecord(record);
    ASSERT_EQ(view.hexView()->bytes(), record.wire);
    const model::Field* length = model::findField(record.header, "length");
    ASSERT_NE(length, nullptr);
    ASSERT_TRUE(view.selectField("length"));
    EXPECT_EQ(view.hexView()->selection(), (ByteRange{length->offset, length->length}));
    // And back: clicking the record's first byte selects the content type.
    HexView* hex = view.hexView();
    QTest::mouseClick(hex->viewport(), Qt::LeftButton, {}, hex->hexCellRect(0).center());
    ASSERT_NE(view.treeView()->currentField(), nullptr);
    EXPECT_EQ(view.treeView()->currentField()->offset, 0u);
    EXPECT_EQ(view.treeView()->currentField()->length, 1u);
  }
}

TEST_P(EveryView, RecordCryptoOpensEveryProtectedRecord) {
  const model::TraceConnection& conn = connection();
  RecordCryptoView view;
  int shown = 0;
  for (const model::TraceRecord& record : conn.records) {
    if (!record.crypto) continue;
    view.setRecord(record);
    ++shown;
    EXPECT_TRUE(view.verdictText().contains("decrypted")) << "record " << record.index;
    ASSERT_NE(view.value("header"), nullptr);
    EXPECT_EQ(view.value("header")->copyText().toStdString(), toHex(ByteView(record.wire).first(5)));
    auto* fields = view.findChild<QLabel*>("headerFields");
    ASSERT_NE(fields, nullptr);
    EXPECT_TRUE(fields->text().contains(wire::contentTypeName(record.contentType))) << fields->text().toStdString();
    if (GetParam().version == TlsVersion::Tls1_3) {
      EXPECT_EQ(view.nonceOperator(), "⊕");
      EXPECT_NE(view.value("tag"), nullptr);
    } else {
      EXPECT_NE(view.value("mac"), nullptr);  // a CBC suite: MAC and padding
      EXPECT_NE(view.value("padding"), nullptr);
    }
  }
  EXPECT_GE(shown, 3);
}

TEST_P(EveryView, DerivationShowsTheScheduleWithBothFinishedVerified) {
  const model::TraceConnection& conn = connection();
  DerivationView view;
  view.setConnection(conn);
  ASSERT_EQ(static_cast<std::size_t>(view.stepCount()), conn.derivation.size());
  // Both Finished values at least; with the endpoints' ephemeral keys the
  // lab run verifies the secrets above them too.
  const QRegularExpression verified(QStringLiteral("(\\d+) verified ✓"));
  const auto match = verified.match(view.summaryText());
  ASSERT_TRUE(match.hasMatch()) << view.summaryText().toStdString();
  EXPECT_GE(match.captured(1).toInt(), 2) << view.summaryText().toStdString();
  EXPECT_EQ(std::count_if(conn.derivation.begin(), conn.derivation.end(),
                          [](const auto& s) { return s.status == model::StepStatus::Failed; }),
            0);
  view.resize(900, 900);
  test::maybeSavePng(view, QStringLiteral("trace_derivation_%1").arg(GetParam().name));
}

TEST_P(EveryView, AppDataShowsTheRequestAndItsEcho) {
  const model::TraceConnection& conn = connection();
  AppDataView view;
  view.setConnection(conn);
  EXPECT_EQ(view.bubbleCount(), 2);
  const QString text = view.plainText();
  EXPECT_EQ(text.count("GET /account HTTP/1.1\nHost: bank32.com"), 2) << text.toStdString();
}

TEST_P(EveryView, CertificatesShowTheChainAndTheClientsVerification) {
  const model::TraceConnection& conn = connection();
  CertificatesView view;
  view.setConnection(conn);
  EXPECT_EQ(static_cast<std::size_t>(view.chainView()->fieldModel()->rowCount()), conn.serverCertificates.size());
  ASSERT_TRUE(conn.serverVerification.has_value());
  EXPECT_TRUE(view.verdictText().contains("The chain verified")) << view.verdictText().toStdString();
}

INSTANTIATE_TEST_SUITE_P(Lab, EveryView,
                         ::testing::Values(Case{"Tls13", TlsVersion::Tls1_3, "TLS_AES_128_GCM_SHA256"},
                                           Case{"Tls12Cbc", TlsVersion::Tls1_2, "ECDHE-RSA-AES128-SHA"}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(MitmTrace, BothLegsCertificatesComparedAndThePasswordInTheClear) {
  app();
  scenarios::MitmLabOptions options;
  options.certsDir = tlslab::certsDir();
  scenarios::MitmOutcome outcome =
      scenarios::runMitm(scenarios::AttackerCertificate::AttackerOwn, scenarios::VictimMode::ChainOnly, options);
  ASSERT_EQ(outcome.setupError, "");
  ASSERT_EQ(outcome.proxySessions.size(), 1u);
  const scenarios::RunTrace traced = scenarios::traceOfRun(
      {{&outcome.victimRun, "victim", "proxy"}, {&outcome.proxySessions[0].upstream, "proxy", "bank32.com"}}, "mitm");
  ASSERT_EQ(traced.trace.connections.size(), 2u);
  const model::TraceConnection& victimLeg = traced.trace.connections[0];
  const model::TraceConnection& upstreamLeg = traced.trace.connections[1];
  ASSERT_FALSE(victimLeg.serverCertificates.empty());
  ASSERT_FALSE(upstreamLeg.serverCertificates.empty());

  CertificatesView certs;
  certs.resize(1000, 900);
  certs.setConnection(victimLeg);
  certs.setMitmComparison(victimLeg.serverCertificates.front(), upstreamLeg.serverCertificates.front());
  EXPECT_GT(certs.differenceCount(), 0);
  EXPECT_TRUE(certs.comparisonTable()->item(0, 1)->text().contains("attacker32"));
  test::maybeSavePng(certs, "trace_mitm_certificates");

  AppDataView data;
  data.resize(900, 500);
  data.setConnection(victimLeg);
  EXPECT_TRUE(data.plainText().contains("password=hunter2")) << data.plainText().toStdString();
  EXPECT_TRUE(data.plainText().contains("victim → proxy"));
  test::maybeSavePng(data, "trace_mitm_app_data");

  MessageDetailView detail;
  detail.resize(900, 700);
  detail.setMessage(victimLeg.messages.front());
  detail.selectField("cipher_suites");
  test::maybeSavePng(detail, "trace_client_hello");

  RecordCryptoView crypto;
  crypto.resize(900, 700);
  for (const model::TraceRecord& record : victimLeg.records) {
    if (record.crypto && record.innerContentType == 23) {
      crypto.setRecord(record);
      break;
    }
  }
  test::maybeSavePng(crypto, "trace_record_crypto");

  DerivationView derivation;
  derivation.resize(900, 900);
  derivation.setConnection(victimLeg);
  test::maybeSavePng(derivation, "trace_derivation");
}

ServerConfig labServer(const char* entry, Service service) {
  ServerConfig config;
  config.chainFile = tlslab::certsDir() / entry / "chain.pem";
  config.keyFile = tlslab::certsDir() / entry / "key.pem";
  config.service = service;
  return config;
}

ClientConfig labClient(const LabServer& server, const char* host) {
  ClientConfig config;
  config.host = host;
  config.port = server.port();
  config.trustFiles = {tlslab::certsDir() / "root-ca" / "cert.pem"};
  return config;
}

TEST(StarttlsTrace, TheCleartextBeforeStarttlsComesFirstAndIsMarked) {
  app();
  auto mail = LabServer::start(labServer("mail-bank32", Service::Pop3));
  ASSERT_TRUE(mail) << mail.error();
  ClientConfig pop3 = labClient(**mail, "mail.bank32.com");
  pop3.starttls = Starttls::Pop3;
  pop3.script = {ScriptStep::send("USER student01\r\n"), ScriptStep::expect("+OK"), ScriptStep::send("QUIT\r\n"),
                 ScriptStep::expect("bye")};
  const ClientRun run = runClient(pop3);
  ASSERT_TRUE(run.scriptOk) << run.error;
  const scenarios::RunTrace traced = scenarios::traceOfRun({{&run}}, "pop3");
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const model::TraceConnection& conn = traced.trace.connections[0];
  ASSERT_EQ(conn.startTlsProtocol, "POP3");
  AppDataView view;
  view.setConnection(conn);
  const QString text = view.plainText();
  const auto cleartext = text.indexOf("POP3 in cleartext, before STARTTLS");
  const auto user = text.indexOf("USER student01");
  EXPECT_GE(cleartext, 0) << text.toStdString();
  EXPECT_GT(user, cleartext);  // the protected conversation follows the cleartext
  EXPECT_TRUE(text.contains("STLS")) << text.toStdString();  // the client's upgrade request, in the clear
}

TEST(ClientAuthTrace, TheSelectorShowsTheClientsChain) {
  app();
  ServerConfig config = labServer("bank32-rsa", Service::Echo);
  config.clientAuth = ClientAuth::Require;
  config.clientCaFile = tlslab::certsDir() / "root-ca" / "cert.pem";
  auto server = LabServer::start(config);
  ASSERT_TRUE(server) << server.error();
  ClientConfig client = labClient(**server, "bank32.com");
  client.clientCert = tlslab::certsDir() / "student01" / "chain.pem";
  client.clientKey = tlslab::certsDir() / "student01" / "key.pem";
  client.script = {ScriptStep::send("hi"), ScriptStep::expect("hi")};
  const ClientRun run = runClient(client);
  ASSERT_TRUE(run.scriptOk) << run.error;
  const scenarios::RunTrace traced = scenarios::traceOfRun({{&run}}, "client auth");
  ASSERT_EQ(traced.trace.connections.size(), 1u);
  const model::TraceConnection& conn = traced.trace.connections[0];
  ASSERT_FALSE(conn.clientCertificates.empty());
  CertificatesView view;
  view.setConnection(conn);
  EXPECT_FALSE(view.sideSelector()->isHidden());
  FieldTreeModel* chain = view.chainView()->fieldModel();
  EXPECT_TRUE(chain->index(0, FieldTreeModel::ValueColumn).data().toString().contains("bank32.com"));
  view.setSide(CertificatesView::Side::Client);
  ASSERT_EQ(static_cast<std::size_t>(chain->rowCount()), conn.clientCertificates.size());
  EXPECT_TRUE(chain->index(0, FieldTreeModel::ValueColumn).data().toString().contains("student01"))
      << chain->index(0, FieldTreeModel::ValueColumn).data().toString().toStdString();
  view.sideSelector()->setCurrentIndex(0);
  EXPECT_EQ(view.side(), CertificatesView::Side::Server);
}

}  // namespace
}  // namespace tlslab::gui::views
