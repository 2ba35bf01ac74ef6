#pragma once
// Internal to the server checks: the student's server started with a fresh
// chain for their host name, and the clients that talk to it.
#include <filesystem>
#include <memory>
#include <string>

#include "tlslab/scenarios/course/ProgramChecks.hpp"
#include "tlslab/util/Bytes.hpp"

namespace tlslab::course::detail {

// A folder under the temporary directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  explicit operator bool() const { return !path_.empty(); }

 private:
  std::filesystem::path path_;
};

std::uint16_t freeLoopbackPort();

// The student's server, running with a chain and key made for this check.
struct RunningServer {
  std::unique_ptr<TempDir> dir;
  std::uint16_t port = 0;
  Bytes leafDer;  // the leaf the server was given, to recognise it
  std::unique_ptr<BackgroundProgram> program;
  std::string failure;  // why it is not running (then `check.result` is set)
};

// Issues the chain, starts `PROGRAM PORT CHAIN KEY [CLIENT_CA]` and waits for
// its listener; on failure sets check.result (and check.server) and returns
// a RunningServer with `failure` set.
RunningServer startStudentServer(const ServerCheckOptions& options, const std::filesystem::path& clientCa,
                                 ServerCheck& check);

// The clients. The LabClient presents `clientChain`/`clientKey` when given
// (mTLS), and is named by `identityName` in the probe ("student01").
ServerProbe probeWithLabClient(const ServerCheckOptions& options, const RunningServer& server,
                               const std::string& identityName, const std::filesystem::path& clientChain,
                               const std::filesystem::path& clientKey, bool expectPage);
ServerProbe probeWithOpensslClient(const ServerCheckOptions& options, const RunningServer& server);
ServerProbe probeWithGnutlsClient(const ServerCheckOptions& options, const RunningServer& server);

// Stops the server and records how it ended.
void stopStudentServer(RunningServer& server, ServerCheck& check);

// "tlslab LabClient: HTTP/1.1 200 OK" or what went wrong, for evidence.
std::string probeLine(const ServerProbe& probe);

}  // namespace tlslab::course::detail
