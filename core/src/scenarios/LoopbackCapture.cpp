#include "LoopbackCapture.hpp"

#include <chrono>
#include <sstream>

#include "tlslab/capture/Pcapng.hpp"

namespace tlslab::scenarios {

std::unique_ptr<LoopbackCapture> LoopbackCapture::open(const std::string& filter, std::string& error, std::size_t maxBytes) {
  capture::LiveOptions options;
  options.interface = "lo";
  options.filter = filter;
  options.bufferTimeoutMs = 20;
  auto live = capture::LiveCapture::open(options);
  if (!live) {
    error = live.error().message();
    return nullptr;
  }
  auto self = std::unique_ptr<LoopbackCapture>(new LoopbackCapture(std::move(live.value()), maxBytes));
  self->pump_ = std::thread([raw = self.get()] {
    (void)raw->live_->run([raw](const capture::RawPacket& p) {
      if (raw->bytes_ + p.data.size() > raw->maxBytes_) {
        ++raw->dropped_;
        return;
      }
      raw->bytes_ += p.data.size();
      raw->packets_.push_back({p.time, Bytes(p.data.begin(), p.data.end()), p.originalLength});
    });
  });
  return self;
}

LoopbackCapture::LoopbackCapture(std::unique_ptr<capture::LiveCapture> live, std::size_t maxBytes)
    : live_(std::move(live)), maxBytes_(maxBytes) {}

LoopbackCapture::~LoopbackCapture() { stop(0); }

void LoopbackCapture::stop(int lingerMs) {
  if (!pump_.joinable()) return;
  if (lingerMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(lingerMs));
  live_->stop();
  pump_.join();
}

std::string LoopbackCapture::pcapng(const std::string& keyLog) const {
  std::ostringstream out;
  capture::PcapngWriter writer(out);
  if (!keyLog.empty()) writer.writeKeyLog(keyLog);
  const std::uint32_t id = writer.addInterface(live_->linkType(), 262144, "lo");
  for (const auto& p : packets_) writer.writePacket(id, p.time, p.data, p.originalLength);
  return out.str();
}

}  // namespace tlslab::scenarios
