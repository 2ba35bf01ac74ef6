#pragma once
// Internal to lab 14: the student's values, their certificates, the runs the
// checks make (tlslab's wrapper or the student's stunnel4 configuration).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tlslab/scenarios/WrapLab.hpp"
#include "tlslab/scenarios/course/Lab.hpp"
#include "tlslab/scenarios/course/Program.hpp"

namespace tlslab::course::lab14 {

struct Values {
  std::string host;           // the wrapped server's name: www.cedar5378.test
  std::string clientCn;       // the student's client certificate: alice-3f09
  std::string password;       // the login the plaintext client sends
  endpoints::AttackerCertificate attacker;  // what the attacker's proxy presents to the wrapper
  std::string clientSubject() const { return "CN=" + clientCn + ",O=tlslab course"; }
};
Values valuesOf(const Variant& variant);
// The CN of the issuer named in the certificate the attacker presents (the teacher's key).
std::string attackerIssuer(endpoints::AttackerCertificate attacker);

// A client certificate CN=cn under the Issuing CA (or the Rogue CA), written
// as dir/<stem>-chain.pem (leaf + CA) and dir/<stem>-key.pem; "" or what failed.
std::string issueClient(const std::filesystem::path& certsDir, const std::string& cn, bool rogue,
                        const std::filesystem::path& dir, const std::string& stem);

// The two stunnel4 configurations a student completes, as `lab start` writes them.
std::string writeStunnelStarters(const std::filesystem::path& workspace);

// A temporary folder for one check's files.
struct Scratch {
  std::filesystem::path dir;
  std::string error;
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// tlslab's wrapper in server mode in front of the application, requiring a
// client certificate under the lab root; its clients: one with a fresh
// certificate for the student's CN, one without.
scenarios::WrappedServerRun wrappedServerRun(const CheckEnv& env, const Values& values, std::string& error);
// tlslab's wrapper in client mode, verifying as `verify`, sent to the attacker.
scenarios::WrappedClientRun wrappedClientRun(const CheckEnv& env, const Values& values, endpoints::VerifyMode verify);

// stunnel4 (or stunnel) on PATH, "" when neither is installed.
std::string stunnelProgram();

// The student's configuration with the check's own ports: `accept` and
// `connect` of its one service replaced, the global options that would
// detach it or write files (foreground, pid, output, setuid, setgid, chroot)
// replaced by foreground and no pid file. `error` names what is missing.
struct CheckConfig {
  std::string text;
  std::string error;
};
CheckConfig withCheckPorts(const std::string& config, const std::string& fileName, std::uint16_t acceptPort,
                           const std::string& connectAddress, std::uint16_t connectPort);

// Runs the student's stunnel configuration (from the workspace, where its
// relative paths point) for each wrapper a scenario starts; keeps the
// processes until destroyed and collects what stunnel logged.
class StunnelRunner {
 public:
  StunnelRunner(std::filesystem::path workspace, std::string fileName, std::string config);
  ~StunnelRunner();
  scenarios::StartWrapper starter();
  // Stops every stunnel it started; its log lines (stderr), in order.
  std::vector<std::string> stopAll();

 private:
  std::filesystem::path workspace_;
  std::string fileName_, config_;
  Scratch scratch_;
  std::vector<std::unique_ptr<BackgroundProgram>> running_;
  std::vector<std::string> log_;
};

// The lines of a stunnel log worth showing a student: errors, certificate verdicts, connections.
std::vector<std::string> stunnelHighlights(const std::vector<std::string>& log, std::size_t max = 8);

}  // namespace tlslab::course::lab14
