#include "SaveCapture.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "tlslab/capture/Source.hpp"

namespace tlslab::gui {

std::string saveCaptureWithKeys(const std::string& capture, const std::string& keyLog, const std::string& target) {
  auto opened = capture::CaptureFile::open(capture);
  if (!opened) return opened.error().message();
  capture::CaptureFile& file = *opened.value();
  std::string keys;
  for (const auto& block : file.secrets())
    if (block.secretsType == capture::pcapng::kSecretsTls) keys += block.data + (block.data.ends_with('\n') ? "" : "\n");
  if (!keyLog.empty()) {
    std::ifstream in(keyLog, std::ios::binary);
    if (!in) return "cannot read the key log " + keyLog;
    std::ostringstream text;
    text << in.rdbuf();
    keys += text.str();
  }
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot write " + target;
  capture::PcapngWriter writer(out);
  // Secrets first: readers apply them to the packets that follow.
  if (!keys.empty()) writer.writeKeyLog(keys);
  std::map<int, std::uint32_t> interfaces;  // link type -> interface id
  capture::RawPacket packet;
  for (;;) {
    const auto status = file.next(packet);
    if (status == capture::CaptureFile::Status::End) break;
    if (status == capture::CaptureFile::Status::Error) return "the capture breaks off: " + file.error();
    auto it = interfaces.find(packet.linkType);
    if (it == interfaces.end())
      it = interfaces.emplace(packet.linkType, writer.addInterface(packet.linkType, std::max<std::uint32_t>(file.info().snaplen, 65535))).first;
    writer.writePacket(it->second, packet.time, packet.data, packet.originalLength);
  }
  return writer.ok() ? std::string() : "write error on " + target;
}

}  // namespace tlslab::gui
