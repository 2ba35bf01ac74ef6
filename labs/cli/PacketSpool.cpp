#include "cli/PacketSpool.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/HeldOutput.hpp"

namespace tlslab::cli {

namespace {
constexpr std::uint32_t kSnaplen = 262144;
}

std::unique_ptr<PacketSpool> PacketSpool::open(const std::string& output, std::string interface, std::string& error) {
  std::unique_ptr<PacketSpool> spool(new PacketSpool());
  spool->output_ = output;
  spool->interface_ = std::move(interface);
  spool->out_.open(output, std::ios::binary | std::ios::trunc);
  if (!spool->out_) {
    error = fmt::format("cannot write '{}' ({})", output, std::strerror(errno));
    return nullptr;
  }
  std::filesystem::path dir = std::filesystem::absolute(output).parent_path();
  std::string path = (dir / ".tlslab-capture-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) {
    error = fmt::format("cannot create a spool file in {} for '{}' ({})", dir.string(), output, std::strerror(errno));
    return nullptr;
  }
  spool->spool_ = std::make_unique<std::fstream>(path, std::ios::in | std::ios::out | std::ios::binary | std::ios::trunc);
  ::close(fd);
  ::unlink(path.c_str());  // gone when the command ends, however it ends
  if (!*spool->spool_) {
    error = fmt::format("cannot open the spool file {} for '{}'", path, output);
    return nullptr;
  }
  spool->spoolWriter_ = std::make_unique<capture::PcapngWriter>(*spool->spool_);
  return spool;
}

void PacketSpool::add(const capture::RawPacket& packet) {
  auto it = interfaces_.find(packet.linkType);
  if (it == interfaces_.end()) {
    it = interfaces_.emplace(packet.linkType, spoolWriter_->addInterface(packet.linkType, kSnaplen, interface_)).first;
    if (interfaces_.size() == 1) {
      firstLinkType_ = packet.linkType;
      bodyStart_ = spool_->tellp();
    }
  }
  spoolWriter_->writePacket(it->second, packet.time, packet.data, packet.originalLength);
  ++packets_;
}

std::string PacketSpool::finish(const std::string& keyLog) {
  if (!spoolWriter_->ok()) return fmt::format("cannot write the spool file for '{}' (disk full?)", output_);
  capture::PcapngWriter writer(out_);
  if (packets_ > 0) {
    writer.addInterface(firstLinkType_, kSnaplen, interface_);
    if (!keyLog.empty()) writer.writeKeyLog(keyLog);
    spool_->flush();
    const std::streamoff end = spool_->tellp();
    spool_->seekg(bodyStart_);
    copyText(*spool_, static_cast<std::size_t>(end - bodyStart_), out_);
  }
  out_.flush();
  if (!out_ || spool_->bad()) return fmt::format("cannot write '{}'", output_);
  return {};
}

}  // namespace tlslab::cli
