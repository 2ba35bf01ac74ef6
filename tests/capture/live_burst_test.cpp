// Live capture under a burst: the reader is busy (a slow dissector, a blocked
// terminal) while packets keep arriving. The kernel ring must hold them, and
// what could not be held must be reported, not silently lost.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "CaptureTestUtil.hpp"

namespace tlslab::test {
namespace {

using capture::LiveCapture;
using capture::LiveOptions;
using namespace std::chrono_literals;

struct UdpSocket {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ~UdpSocket() { ::close(fd); }
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

std::uint16_t bindFreePort(const UdpSocket& s) {
  sockaddr_in a = loopback(0);
  EXPECT_EQ(::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t length = sizeof a;
  ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &length);
  return ntohs(a.sin_port);
}

TEST(LiveCaptureBurst, KeepsEveryPacketOfABurstWhileTheReaderIsBusy) {
  UdpSocket receiver;
  const std::uint16_t port = bindFreePort(receiver);
  LiveOptions options{"lo", "udp dst port " + std::to_string(port), 262144, false, 50, 0, 10};
  auto live = LiveCapture::open(options);
  if (!live.ok()) GTEST_SKIP() << "capturing on lo needs root or CAP_NET_RAW: " << live.error().message();

  // 3 000 datagrams of 1 200 bytes (3.6 MB) sent while the reader sleeps on the
  // first one: more than libpcap's default 2 MiB buffer, and far more slots than
  // an immediate-mode ring of 256 KiB frames has.
  constexpr int kBurst = 3000;
  std::atomic<std::uint64_t> seen{0};
  std::atomic<bool> burstSent{false};
  capture::LiveStats stats;
  std::thread reader([&] {
    auto result = live.value()->run([&](const capture::RawPacket& packet) {
      if (seen++ == 0) {
        while (!burstSent) std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(200ms);
      }
      // The timestamp is wall-clock time in nanoseconds, whatever precision libpcap gave.
      auto now = std::chrono::system_clock::now().time_since_epoch();
      EXPECT_LT(std::abs(packet.time.nanos - std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()),
                std::int64_t{60'000'000'000});
      if (seen == kBurst + 1) live.value()->stop();
    });
    ASSERT_TRUE(result.ok()) << result.error().message();
    stats = result.value();
  });
  UdpSocket sender;
  sockaddr_in to = loopback(port);
  std::string payload(1200, 'x');
  std::this_thread::sleep_for(100ms);  // the capture is polling
  ::sendto(sender.fd, "first", 5, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  std::this_thread::sleep_for(50ms);  // the reader is asleep in the first callback
  for (int i = 0; i < kBurst; ++i)
    ASSERT_EQ(::sendto(sender.fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(payload.size()));
  burstSent = true;
  reader.join();
  EXPECT_EQ(stats.droppedByKernel, 0u) << capture::dropWarning(stats);
  EXPECT_EQ(seen.load(), std::uint64_t{kBurst + 1});
  EXPECT_EQ(stats.stoppedBecause, "stop requested");
  EXPECT_EQ(capture::dropWarning(stats), "");
}

TEST(LiveCaptureBurst, PacketsOfTheLastMomentBeforeAStopAreKept) {
  UdpSocket receiver;
  const std::uint16_t port = bindFreePort(receiver);
  auto live = LiveCapture::open(LiveOptions{"lo", "udp dst port " + std::to_string(port), 262144, false, 100, 0, 20});
  if (!live.ok()) GTEST_SKIP() << "capturing on lo needs root or CAP_NET_RAW: " << live.error().message();
  std::atomic<int> seen{0};
  capture::LiveStats stats;
  std::thread reader([&] {
    auto result = live.value()->run([&](const capture::RawPacket&) { ++seen; });
    ASSERT_TRUE(result.ok());
    stats = result.value();
  });
  UdpSocket sender;
  sockaddr_in to = loopback(port);
  std::this_thread::sleep_for(150ms);
  for (int i = 0; i < 5; ++i) ::sendto(sender.fd, "late", 4, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  live.value()->stop();  // at once: the packets are still in the kernel's unfinished block
  reader.join();
  EXPECT_EQ(seen.load(), 5);
  EXPECT_EQ(stats.stoppedBecause, "stop requested");
}

TEST(LiveCaptureBurst, TheDropWarningSaysWhatWasLostAndWhatToDo) {
  capture::LiveStats stats;
  stats.bufferBytes = 32 << 20;
  EXPECT_EQ(capture::dropWarning(stats), "");
  stats.droppedByKernel = 7;
  std::string warning = capture::dropWarning(stats);
  EXPECT_NE(warning.find("7 packet(s) were lost (7 dropped by the kernel, 0 by the interface)"), std::string::npos)
      << warning;
  EXPECT_NE(warning.find("32 MiB"), std::string::npos) << warning;
  EXPECT_NE(warning.find("--buffer-size"), std::string::npos) << warning;
  EXPECT_NE(capture::dropWarning(stats, "use a narrower filter").find("cannot be decrypted; use a narrower filter"),
            std::string::npos);
}

}  // namespace
}  // namespace tlslab::test
