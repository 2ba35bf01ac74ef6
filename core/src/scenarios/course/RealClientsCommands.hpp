#pragma once
// How each real client of lab 3 is invoked (argv, stdin, what a student
// types) and how its own words and verdict are read from what it printed.
// RealClients.cpp runs them; this file only knows the clients.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlslab/scenarios/course/Program.hpp"
#include "tlslab/scenarios/course/RealClients.hpp"

namespace tlslab::course::realclients {

inline constexpr std::string_view kHost = "bank32.com";

// Where the login goes and what each client is given.
struct LoginTarget {
  std::uint16_t port = 0;
  std::string proxyAddress = "127.0.0.66";
  std::filesystem::path rootCa;     // certs/root-ca/cert.pem
  std::string user, password;       // checked by loginPasswordProblem: no escaping needed anywhere
  std::string body() const { return "user=" + user + "&password=" + password; }
  bool clientResolves = false;      // map the name with the client's own option, not the hosts file
  std::filesystem::path workDir;    // temporary files (Chromium's HOME, profile, login page)
  std::filesystem::path screenshot; // absolute; "" = none
  std::filesystem::path programDir = "/usr/bin";  // where the Debian packages put the clients
  std::string program(std::string_view name) const { return (programDir / name).string(); }
};

// A client's command line exactly as a student types it; the run hands this
// very line to /bin/sh, so what is shown is what ran.
struct Invocation {
  std::string shown;               // "curl -sS --cacert … https://bank32.com:PORT/login"
  std::vector<std::string> setup;  // lines to run first (Chromium: its NSS database and login page)
  std::string resolution;          // "" = the hosts file; else the client's own option
  std::chrono::milliseconds timeout{10000};
  std::size_t outputLimit = 256 * 1024;
};

// The programs a client needs (file names in LoginTarget::programDir) and which package brings each.
struct Needed {
  std::string_view program;
  std::string_view package;
};
std::vector<Needed> neededPrograms(RealClient client);

std::optional<Invocation> browserInvocation(const LoginTarget& target);  // RealClientsBrowser.cpp
// nullopt (with `whyNot`) when the client cannot be pointed at the attacker
// without a hosts file (wget and python3 have no option to map a name).
std::optional<Invocation> invocationFor(RealClient client, const LoginTarget& target, std::string* whyNot);

// The client's own verdict: it ended with an error status (Chromium: its
// error page names a net error, `errorCode`).
bool clientRefused(RealClient client, const ProgramResult& result, const std::string& errorCode);
// Its one telling line: the error it printed, else the bank's page it got.
std::string clientWords(RealClient client, const ProgramResult& result);

// A word for the shell: unchanged when safe, else in single quotes.
std::string shellQuote(std::string_view word);
std::string shellLine(const std::vector<std::string>& argv);
// The bare name when PATH finds the same file, else the absolute path
// (what a student on this machine must type to get this program).
std::string displayedProgram(const std::filesystem::path& program);

// Chromium's error page (its --dump-dom), read for what it tells the user.
struct BrowserPage {
  std::string errorCode;    // "ERR_CERT_COMMON_NAME_INVALID" ("" when no error page)
  std::string explanation;  // "This server could not prove that it is bank32.com; …"
  std::string bankLine;     // "Welcome back. Your login (…) was received." when the login went through
};
BrowserPage readBrowserPage(std::string_view dom);
// Chromium's HOME for the run: its NSS database ($HOME/.pki/nssdb) trusts only the lab root.
std::filesystem::path browserHome(const LoginTarget& target);
// The login page Chromium loads: a form that posts itself to the bank (one line).
std::string loginPageHtml(const LoginTarget& target);

// Lines without their indentation and line ends; empty lines dropped.
std::vector<std::string> linesOf(std::string_view text);
std::string stripTags(std::string_view html);  // and the entities &amp; &lt; &gt; &quot;
// The bank's answer to a login that went through ("Welcome back. Your login (…) was received.").
std::string bankLine(std::string_view page);
// One line of at most `limit` bytes (cut on a character boundary), control characters as spaces.
std::string bounded(std::string text, std::size_t limit = 240);

}  // namespace tlslab::course::realclients
