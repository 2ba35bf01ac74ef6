"""Load client for scripts/bench-load.sh: TLS clients on loopback only.

  load_client.py concurrent HOST PORT N        N handshakes (each with one request) at once
  load_client.py sequential HOST PORT N PID    N one after another; the server's RSS (PID) before and after
  load_client.py slowloris HOST PORT N         N connections trickling a ClientHello while normal clients are timed

Each mode prints `key value` lines; bounded in count and time, it stops by itself.
"""
import asyncio
import socket
import ssl
import statistics
import sys
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n"


def context():
    # The lab server's or the proxy's certificate: the load, not the trust, is measured here.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def one_client(host, port, ctx, timeout=30.0):
    """Handshake, one request, the start of the answer; seconds taken."""
    started = time.monotonic()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, ssl=ctx, server_hostname="bank32.com"), timeout)
    try:
        writer.write(REQUEST)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(64), timeout)
        if not answer.startswith(b"HTTP/1."):
            raise RuntimeError("unexpected answer %r" % answer[:20])
    finally:
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 2)
        except Exception:
            pass
    return time.monotonic() - started


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


async def concurrent(host, port, n):
    ctx = context()
    results = await asyncio.gather(*(one_client(host, port, ctx, 60.0) for _ in range(n)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    times = sorted(r for r in results if not isinstance(r, BaseException))
    print("concurrent_ok", len(times))
    print("concurrent_failed", len(failures))
    if failures:
        print("concurrent_first_failure", repr(failures[0])[:200])
    if times:
        print("concurrent_max_ms", round(times[-1] * 1000))


async def sequential(host, port, n, pid):
    ctx = context()
    for _ in range(50):  # warm-up: the first connections allocate what every later one reuses
        await one_client(host, port, ctx)
    time.sleep(0.5)
    before = rss_kib(pid)
    failed = 0
    started = time.monotonic()
    for _ in range(n):
        try:
            await one_client(host, port, ctx)
        except Exception:
            failed += 1
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    after = rss_kib(pid)
    print("sequential_n", n)
    print("sequential_failed", failed)
    print("sequential_per_s", round(n / elapsed, 1))
    print("rss_before_kib", before)
    print("rss_after_kib", after)


async def slowloris(host, port, n):
    # A ClientHello's first bytes, one every second: each holds a server connection
    # (and, before the handshake deadline, held it for ever).
    hello = bytes.fromhex("16030100c8010000c40303") + b"\x00" * 32
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=5)
        s.setblocking(False)
        socks.append(s)
    ctx = context()
    latencies = []
    deadline = time.monotonic() + 6  # under the server's 10 s handshake deadline: all still held
    i = 0
    while time.monotonic() < deadline and i < len(hello):
        for s in socks:
            try:
                s.send(hello[i:i + 1])
            except OSError:
                pass
        i += 1
        latencies.append(await one_client(host, port, ctx, 5.0))
        await asyncio.sleep(0.5)
    for s in socks:
        s.close()
    print("slowloris_connections", n)
    print("normal_clients_timed", len(latencies))
    print("normal_median_ms", round(statistics.median(latencies) * 1000, 1))
    print("normal_max_ms", round(max(latencies) * 1000, 1))


def main():
    mode, host, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if host.split(".")[0] != "127":
        sys.exit("load_client.py: loopback addresses only")
    if mode == "concurrent":
        asyncio.run(concurrent(host, port, n))
    elif mode == "sequential":
        asyncio.run(sequential(host, port, n, int(sys.argv[5])))
    elif mode == "slowloris":
        asyncio.run(slowloris(host, port, n))
    else:
        sys.exit("load_client.py: mode is concurrent, sequential or slowloris")


if __name__ == "__main__":
    main()
