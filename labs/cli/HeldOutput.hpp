#pragma once
// Output of connections that finished before an earlier one, kept until its
// turn (the printout and --json go in index order; connections close in any
// order). Kept in an unlinked temporary file, not in memory: a long
// connection that stays open while thousands of short ones finish then
// costs disk (what their output would have cost on stdout), not memory.
#include <cstddef>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace tlslab::cli {

class HeldOutput {
 public:
  using Render = std::function<void(std::ostream&)>;
  // Puts one connection's output where it belongs: rendered straight there
  // (its turn came when it finished), or copied from the file.
  using WriteNow = std::function<void(const Render&)>;
  using WriteHeld = std::function<void(std::istream& text, std::size_t length)>;

  HeldOutput(WriteNow now, WriteHeld held) : writeNow_(std::move(now)), writeHeld_(std::move(held)) {}
  HeldOutput(const HeldOutput&) = delete;
  HeldOutput& operator=(const HeldOutput&) = delete;

  // Connection `index` has finished: written now if every earlier one has
  // been (then any held ones that follow it), else rendered to the file.
  // `render` is empty for a connection that shows nothing (filtered out):
  // later ones wait for it all the same. False: the file could not be written.
  bool finished(std::size_t index, const Render& render);
  // The capture has ended: what is still held, in index order.
  bool rest();
  // Why finished() or rest() failed (finished() keeps failing after the first).
  const std::string& error() const { return error_; }

 private:
  struct Span {
    std::streamoff offset;
    std::size_t length;
  };
  bool openFile();
  void writeHeld(const Span& span);

  WriteNow writeNow_;
  WriteHeld writeHeld_;
  std::size_t next_ = 0;
  std::map<std::size_t, Span> held_;
  std::fstream file_;
  std::string error_;
};

// Opens an unlinked temporary file (gone when the command ends, however it
// ends) for reading and writing; false with `error` set when it cannot.
bool openUnlinkedTemporary(std::fstream& file, std::string& error);

// Output written by another thread before its turn on stdout came: kept in a
// temporary file until release(), then written straight through. The
// printout's second pass runs beside the first (DESIGN.md, "Streaming
// dissect") and must not print before the first pass's table.
class Spool {
 public:
  explicit Spool(std::ostream& out) : out_(out) {}
  // Thread-safe. False: the temporary file could not be written (error()).
  bool write(const HeldOutput::Render& render);
  bool copy(std::istream& text, std::size_t length);
  // What was written so far goes to `out`; later writes go straight there.
  bool release();
  std::string error() const;

 private:
  bool toFile(const HeldOutput::Render& render);
  mutable std::mutex mutex_;
  std::ostream& out_;
  bool released_ = false;
  std::fstream file_;
  std::string error_;
};

// Copies `length` bytes of `in` to `out`.
void copyText(std::istream& in, std::size_t length, std::ostream& out);

}  // namespace tlslab::cli
