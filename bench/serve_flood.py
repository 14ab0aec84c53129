#!/usr/bin/env python3
"""What a flood of connections costs `kwiki serve`, and whether it still serves meanwhile.

Starts the server on a site, then opens WAITERS live-reload long-polls (each waits for a
rebuild that does not come) and HALF_OPEN connections that send half a request head and stop.
While they are held it reads the server's threads and resident memory (/proc) and times GETs
of a page; then it closes them all, waits, reads the memory again and checks the server still
answers. Prints figures, no verdict (the targets: under 64 threads and 150 MB while flooded,
memory back within 20 MB of its start, the page within 50 ms):

    serve-flood start: threads 9, rss 41.2 MB
    serve-flood held 1000 waiters + 100 half-open: threads 11, rss 63.0 MB
    serve-flood page during flood: median 2.1 ms, max 6.3 ms (20 GETs)
    serve-flood after close: threads 11, rss 55.0 MB (+13.8 MB over start)
    serve-flood still answers: 200

    bench/serve_flood.py KWIKI_BINARY SITE_ROOT [--waiters 1000] [--half-open 100] [--settle 30]
"""
import argparse, os, resource, socket, statistics, subprocess, sys, threading, time


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.split()
    return int(fields["Threads"][0]), int(fields["VmRSS"][0]) / 1024


def get(port, path="/", timeout=10):
    """(status, milliseconds) of one GET on a new connection."""
    t = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    ms = (time.monotonic() - t) * 1000
    head = data.split(b"\r\n", 1)[0].split()
    return (int(head[1]) if len(head) > 1 else 0), ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kwiki")
    ap.add_argument("root")
    ap.add_argument("--waiters", type=int, default=1000)
    ap.add_argument("--half-open", type=int, default=100)
    ap.add_argument("--page", default="/")
    ap.add_argument("--settle", type=float, default=30.0, help="seconds to wait after closing")
    args = ap.parse_args()
    # this process and the server (which inherits the limit) need a descriptor per connection
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * (args.waiters + args.half_open) + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    server = subprocess.Popen(
        [args.kwiki, "--root", args.root, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    built = threading.Event()

    def drain_log():  # read to the end, so the server never blocks on a full pipe
        for line in server.stderr:
            if line.startswith("rebuilt in "):
                built.set()

    threading.Thread(target=drain_log, daemon=True).start()
    try:
        line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1].split("/")[0])
        # the address comes before the first build: wait for it to end, then let the
        # process settle
        while not built.wait(0.2):
            if server.poll() is not None:
                raise SystemExit("serve_flood: kwiki serve exited before its first build")
        status, _ = get(port, args.page)
        time.sleep(1.0)
        threads0, rss0 = proc_status(server.pid)
        print(f"serve-flood start: threads {threads0}, rss {rss0:.1f} MB")
        gen = None
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(f"GET /__kwiki/reload?since=999999999 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(4096):
                data += chunk
            gen = int(data.split(b"\r\n\r\n", 1)[1])
        held = []
        for i in range(args.waiters + args.half_open):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            if i < args.waiters:
                s.sendall(f"GET /__kwiki/reload?since={gen} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            else:
                s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Half".encode())
            held.append(s)
        time.sleep(1.0)
        threads1, rss1 = proc_status(server.pid)
        print(f"serve-flood held {args.waiters} waiters + {args.half_open} half-open: threads {threads1}, rss {rss1:.1f} MB")
        times = []
        for _ in range(20):
            status, ms = get(port, args.page)
            times.append(ms)
        print(f"serve-flood page during flood: status {status}, median {statistics.median(times):.1f} ms, max {max(times):.1f} ms ({len(times)} GETs)")
        # a waiter over the cap is told to come back later, at once
        extra = []
        for _ in range(600):
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(f"GET /__kwiki/reload?since={gen} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            extra.append(s)
        time.sleep(0.5)
        busy = 0
        for s in extra:
            s.setblocking(False)
            try:
                if b" 503 " in s.recv(256):
                    busy += 1
            except BlockingIOError:
                pass
            s.close()
        print(f"serve-flood {len(extra)} more waiters: {busy} told 503 at once (over the cap)")
        for s in held:
            s.close()
        # a long-poll whose client left ends when its wait does (25 s): hyper does not
        # cancel a request in flight when its connection closes
        time.sleep(args.settle)
        threads2, rss2 = proc_status(server.pid)
        print(f"serve-flood after close: threads {threads2}, rss {rss2:.1f} MB ({rss2 - rss0:+.1f} MB over start)")
        status, ms = get(port, args.page)
        print(f"serve-flood still answers: {status} in {ms:.1f} ms")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
