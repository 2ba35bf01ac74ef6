#pragma once
// Options shared by the capture commands (dissect, follow, export, capture):
// where the keys come from, and turning a capture file into a Trace with
// progress on stderr.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "tlslab/dissect/TlsDissector.hpp"
#include "tlslab/keys/KeyStore.hpp"

namespace tlslab::cli {

struct KeyArgs {
  std::vector<std::string> keylogs;
  std::vector<std::string> rsaKeys;
  std::string keyPassword;
  std::vector<std::string> ephemeralKeys;  // a lab run's (EC)DHE keys, saved beside its pcapng
  // TLS 1.2 PSK suites: the n-th identity names the n-th PSK; PSKs beyond
  // the identities are used for any identity.
  std::vector<std::string> psks, pskIdentities;
};

void addKeyOptions(CLI::App* command, KeyArgs& args);
// --psk and --psk-identity alone (addKeyOptions includes them).
void addPskOptions(CLI::App* command, KeyArgs& args);
// Loads every file; false (with a message naming the file on stderr) when one
// cannot be read. Bad key log lines are warnings.
bool loadKeys(const KeyArgs& args, keys::KeyStore& keys, const std::string& command, bool quiet);

// Dissects a capture file; nullopt (and a message naming the file and what is
// wrong on stderr) when it cannot be read at all. Progress goes to stderr
// when reading takes more than a moment, unless quiet or stderr is not a
// terminal. `readInPart`, when given, is set when reading stopped at an error
// before the end of the file (the trace then holds what came before it;
// stderr says where and why).
// `again`: the file was read a moment ago and anything wrong with it said
// then (a second pass), so only progress goes to stderr.
std::optional<model::Trace> dissectCapture(const std::string& path, keys::KeyStore& keys, const std::string& command,
                                           bool quiet, dissect::DissectOptions options = {},
                                           bool* readInPart = nullptr, bool again = false);

// The exit codes of `tlslab dissect`, also in its --help: 2 the input or a
// key file cannot be used at all, 3 the capture was read only in part.
constexpr int kExitUnusableInput = 2;
constexpr int kExitReadInPart = 3;
inline constexpr const char* kCaptureExitCodes =
    "Exit status: 0 done; 1 the output could not be written (a connection that finished before an earlier one waits "
    "in a temporary file); 2 the capture or a key file cannot be used (the message names it and why); 3 the capture "
    "could be read only up to an error (what came before it is shown; the message says where)";

}  // namespace tlslab::cli
