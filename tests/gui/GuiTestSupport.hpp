#pragma once
// Shared by the shell_*_test.cpp files: one QApplication per process and
// Traces from real lab runs (real OpenSSL endpoints on loopback, dissected
// from their own wire bytes), each run once per process.
#include <gtest/gtest.h>

#include <QApplication>
#include <QStandardPaths>

#include <map>
#include <memory>

#include "LabRunner.hpp"

namespace tlslab::gui::test {

// Never destroyed: a static QApplication would be torn down after Qt's own
// globals (the input-device registry), and ~QInputDevice then crashes at
// exit once a test has sent a key or mouse event.
inline QApplication& app() {
  static int argc = 1;
  static char name[] = "tlslab-gui-test";
  static char* argv[] = {name, nullptr};
  if (auto* existing = qobject_cast<QApplication*>(QApplication::instance())) return *existing;
  // Recent files and remembered keys go to a test location, not the user's settings.
  QStandardPaths::setTestModeEnabled(true);
  static QApplication* instance = new QApplication(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("tlslab-test"));
  return *instance;
}

inline LabRequest handshakeRequest(const char* tls) {
  LabRequest r;
  r.kind = LabKind::Handshake;
  r.tls = tls;
  return r;
}

inline LabRequest mitmRequest(scenarios::VictimMode victim = scenarios::VictimMode::ChainOnly) {
  LabRequest r;
  r.kind = LabKind::Mitm;
  r.strategy = endpoints::AttackerCertificate::AttackerOwn;
  r.victim = victim;
  return r;
}

// The lab's Trace; fails the test when the lab could not run.
inline std::shared_ptr<const model::Trace> labTrace(const LabRequest& request) {
  static std::map<QString, std::shared_ptr<const model::Trace>> cache;
  const QString key = request.title();
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  LabResult result = runLab(request, {});
  EXPECT_TRUE(result.error.isEmpty()) << result.error.toStdString();
  auto trace = std::make_shared<const model::Trace>(std::move(result.trace));
  cache[key] = trace;
  return trace;
}

}  // namespace tlslab::gui::test
