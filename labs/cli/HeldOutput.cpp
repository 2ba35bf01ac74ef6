#include "cli/HeldOutput.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tlslab::cli {

bool openUnlinkedTemporary(std::fstream& file, std::string& error) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string path = (dir / "tlslab-held-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) {
    error = fmt::format("cannot create a temporary file in {} to hold output ({})", dir.string(), std::strerror(errno));
    return false;
  }
  file.open(path, std::ios::in | std::ios::out | std::ios::binary | std::ios::trunc);
  ::close(fd);
  ::unlink(path.c_str());
  if (!file) {
    error = fmt::format("cannot open the temporary file {} to hold output", path);
    return false;
  }
  return true;
}

bool HeldOutput::openFile() { return file_.is_open() || openUnlinkedTemporary(file_, error_); }

void HeldOutput::writeHeld(const Span& span) {
  if (span.offset < 0) return;  // shows nothing
  file_.clear();
  file_.seekg(span.offset);
  writeHeld_(file_, span.length);
}

bool HeldOutput::finished(std::size_t index, const Render& render) {
  if (!error_.empty()) return false;  // output already broken: rest() says why
  if (index != next_) {
    Span span{-1, 0};
    if (render) {
      if (!openFile()) return false;
      file_.clear();
      file_.seekp(0, std::ios::end);
      span.offset = file_.tellp();
      render(file_);
      span.length = static_cast<std::size_t>(file_.tellp() - span.offset);
      if (!file_) {
        error_ = "cannot write the temporary file that holds output (disk full?)";
        return false;
      }
    }
    held_.emplace(index, span);
    return true;
  }
  if (render) writeNow_(render);
  ++next_;
  for (auto it = held_.begin(); it != held_.end() && it->first == next_; it = held_.erase(it), ++next_)
    writeHeld(it->second);
  return true;
}

bool HeldOutput::rest() {
  if (!error_.empty()) return false;
  for (const auto& [index, span] : held_) writeHeld(span);
  held_.clear();
  if (file_.is_open() && file_.bad()) {
    error_ = "cannot read back the temporary file that holds output";
    return false;
  }
  return true;
}

bool Spool::toFile(const HeldOutput::Render& render) {
  if (!error_.empty()) return false;
  if (!file_.is_open() && !openUnlinkedTemporary(file_, error_)) return false;
  render(file_);
  if (!file_) error_ = "cannot write the temporary file that holds output (disk full?)";
  return error_.empty();
}

bool Spool::write(const HeldOutput::Render& render) {
  std::lock_guard lock(mutex_);
  if (!released_) return toFile(render);
  render(out_);
  return true;
}

bool Spool::copy(std::istream& text, std::size_t length) {
  return write([&](std::ostream& out) { copyText(text, length, out); });
}

bool Spool::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  if (!error_.empty()) return false;
  if (!file_.is_open()) return true;
  file_.flush();
  const std::streamoff length = file_.tellp();
  file_.seekg(0);
  copyText(file_, static_cast<std::size_t>(length), out_);
  if (file_.bad()) error_ = "cannot read back the temporary file that holds output";
  file_.close();
  return error_.empty();
}

std::string Spool::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void copyText(std::istream& in, std::size_t length, std::ostream& out) {
  std::array<char, 1 << 16> buffer{};
  while (length > 0 && in) {
    in.read(buffer.data(), static_cast<std::streamsize>(std::min(length, buffer.size())));
    const auto got = static_cast<std::size_t>(in.gcount());
    out.write(buffer.data(), static_cast<std::streamsize>(got));
    length -= got;
  }
}

}  // namespace tlslab::cli
