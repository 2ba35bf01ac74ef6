// Live capture through libpcap (pcap_create/pcap_activate, see pcap(3PCAP)).
// The handle is non-blocking and polled with a short timeout, so packet and
// time limits and stop() requests from other threads are honoured promptly.
// Not immediate mode: libpcap then falls back to a ring of snaplen-sized slots
// (a handful for 256 KiB on lo) that overflows on any burst. Buffered mode
// (TPACKET_V3) packs packets into blocks the kernel hands over when full or
// after bufferTimeoutMs, so a packet is at most that late, and stopping waits
// once for the last block.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "tlslab/capture/Source.hpp"

namespace tlslab::capture {

namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

std::string permissionHelp(const std::string& interface) {
  return fmt::format(
      "capturing on '{}' needs root or the CAP_NET_RAW capability (and CAP_NET_ADMIN for promiscuous mode); "
      "run with sudo, or grant it once: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tlslab)",
      interface);
}

std::string activationError(pcap_t* p, int rc, const LiveOptions& options) {
  switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return permissionHelp(options.interface) + " (libpcap: " + pcap_geterr(p) + ")";
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return fmt::format("no interface named '{}' (list them with `tlslab capture --list`)", options.interface);
    case PCAP_ERROR_IFACE_NOT_UP:
      return fmt::format("interface '{}' is down", options.interface);
    default:
      return fmt::format("{} ({})", pcap_statustostr(rc), pcap_geterr(p));
  }
}

// 0 would mean "no timeout": a half-filled block would never be handed over.
int bufferTimeoutMs(const LiveOptions& options) { return options.bufferTimeoutMs > 0 ? options.bufferTimeoutMs : 100; }

std::string addressText(const sockaddr* address) {
  if (address == nullptr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  switch (address->sa_family) {
    case AF_INET:
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
      return text;
    case AF_INET6:
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
      return text;
    default:
      return {};
  }
}

}  // namespace

Result<std::vector<DeviceInfo>> listDevices() {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, errbuf) != 0) return CaptureError{"cannot list capture interfaces", errbuf};
  std::vector<DeviceInfo> devices;
  for (pcap_if_t* d = all; d != nullptr; d = d->next) {
    DeviceInfo info;
    info.name = d->name;
    info.description = d->description != nullptr ? d->description : "";
    info.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
    info.up = (d->flags & PCAP_IF_UP) != 0;
    info.running = (d->flags & PCAP_IF_RUNNING) != 0;
    for (pcap_addr_t* a = d->addresses; a != nullptr; a = a->next) {
      std::string text = addressText(a->addr);
      if (!text.empty()) info.addresses.push_back(text);
    }
    devices.push_back(std::move(info));
  }
  pcap_freealldevs(all);
  return devices;
}

std::string dropWarning(const LiveStats& stats, std::string_view remedy) {
  const std::uint64_t lost = stats.droppedByKernel + stats.droppedByInterface;
  if (lost == 0) return {};
  return fmt::format(
      "{} packet(s) were lost ({} dropped by the kernel, {} by the interface): the capture buffer of {} MiB "
      "filled faster than it was read, so connections in this capture may have gaps and records that cannot "
      "be decrypted; {}",
      lost, stats.droppedByKernel, stats.droppedByInterface, stats.bufferBytes >> 20, remedy);
}

struct LiveCapture::Impl {
  LiveOptions options;
  std::unique_ptr<pcap_t, PcapCloser> pcap;
  std::atomic<bool> stopRequested{false};
};

LiveCapture::LiveCapture(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveCapture::~LiveCapture() = default;
int LiveCapture::linkType() const { return pcap_datalink(impl_->pcap.get()); }

void LiveCapture::stop() {
  impl_->stopRequested = true;
  pcap_breakloop(impl_->pcap.get());
}

Result<std::unique_ptr<LiveCapture>> LiveCapture::open(const LiveOptions& options) {
  const std::string what = fmt::format("cannot capture on '{}'", options.interface);
  if (options.interface.empty()) return CaptureError{what, "no interface given"};
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapCloser> p(pcap_create(options.interface.c_str(), errbuf));
  if (!p) return CaptureError{what, errbuf};
  pcap_set_snaplen(p.get(), options.snaplen);
  pcap_set_promisc(p.get(), options.promiscuous ? 1 : 0);
  pcap_set_timeout(p.get(), bufferTimeoutMs(options));
  if (options.bufferBytes > 0) pcap_set_buffer_size(p.get(), options.bufferBytes);
  pcap_set_tstamp_precision(p.get(), PCAP_TSTAMP_PRECISION_NANO);
  int rc = pcap_activate(p.get());
  if (rc < 0) return CaptureError{what, activationError(p.get(), rc, options)};
  if (!options.filter.empty()) {
    bpf_program program{};
    if (pcap_compile(p.get(), &program, options.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      return CaptureError{what, fmt::format("bad capture filter '{}': {}", options.filter, pcap_geterr(p.get()))};
    }
    int set = pcap_setfilter(p.get(), &program);
    pcap_freecode(&program);
    if (set != 0) return CaptureError{what, fmt::format("cannot apply filter: {}", pcap_geterr(p.get()))};
  }
  if (pcap_setnonblock(p.get(), 1, errbuf) != 0) return CaptureError{what, errbuf};
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->pcap = std::move(p);
  return std::unique_ptr<LiveCapture>(new LiveCapture(std::move(impl)));
}

Result<LiveStats> LiveCapture::run(const std::function<void(const RawPacket&)>& onPacket) {
  using Clock = std::chrono::steady_clock;
  const LiveOptions& o = impl_->options;
  pcap_t* p = impl_->pcap.get();
  const auto started = Clock::now();
  const int fd = pcap_get_selectable_fd(p);
  struct Context {
    const std::function<void(const RawPacket&)>* onPacket;
    int linkType;
    std::int64_t fractionToNanos;
    std::uint64_t count;
  } context{&onPacket, pcap_datalink(p),
            pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO ? std::int64_t{1} : std::int64_t{1000}, 0};
  auto handler = [](u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    auto* c = reinterpret_cast<Context*>(user);
    RawPacket packet;
    packet.linkType = c->linkType;
    packet.time =
        Timestamp::fromParts(header->ts.tv_sec, static_cast<std::int64_t>(header->ts.tv_usec) * c->fractionToNanos);
    packet.frame = ++c->count;
    packet.data = ByteView(bytes, header->caplen);
    packet.originalLength = header->len;
    (*c->onPacket)(packet);
  };
  LiveStats stats;
  stats.bufferBytes = o.bufferBytes;
  auto dispatch = [&](int budget) {
    return pcap_dispatch(p, budget, handler, reinterpret_cast<u_char*>(&context));
  };
  while (true) {
    if (impl_->stopRequested) {
      stats.stoppedBecause = "stop requested";
      break;
    }
    if (o.maxPackets != 0 && context.count >= o.maxPackets) {
      stats.stoppedBecause = "packet limit";
      break;
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    if (o.maxSeconds > 0 && elapsed >= o.maxSeconds) {
      stats.stoppedBecause = "time limit";
      break;
    }
    int wait = bufferTimeoutMs(o);
    if (o.maxSeconds > 0) wait = std::min(wait, static_cast<int>((o.maxSeconds - elapsed) * 1000) + 1);
    if (fd >= 0) {
      pollfd pfd{fd, POLLIN, 0};
      poll(&pfd, 1, wait);
    }
    int budget = o.maxPackets != 0 ? static_cast<int>(std::min<std::uint64_t>(o.maxPackets - context.count, 1u << 20))
                                   : -1;
    int n = dispatch(budget);
    if (n == PCAP_ERROR) return CaptureError{"live capture failed", pcap_geterr(p)};
    // PCAP_ERROR_BREAK: stop() was called; the flag check above ends the loop.
  }
  if (stats.stoppedBecause != "packet limit") {
    // The block being filled is handed over only when it times out: wait for
    // it once, so the packets of the last moments before the stop are kept.
    const auto drainUntil = Clock::now() + std::chrono::milliseconds(bufferTimeoutMs(o) + 50);
    dispatch(-1);  // clears a pending pcap_breakloop (returns PCAP_ERROR_BREAK)
    while (Clock::now() < drainUntil) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(drainUntil - Clock::now()).count();
      if (fd >= 0) {
        pollfd pfd{fd, POLLIN, 0};
        poll(&pfd, 1, static_cast<int>(std::max<long long>(left, 1)));
      }
      if (dispatch(-1) == PCAP_ERROR) break;
    }
  }
  stats.packets = context.count;
  pcap_stat ps{};
  if (pcap_stats(p, &ps) == 0) {
    stats.droppedByKernel = ps.ps_drop;
    stats.droppedByInterface = ps.ps_ifdrop;
  }
  return stats;
}

}  // namespace tlslab::capture
