"""A rate-limited stand-in for a hosted workflow API (Python stdlib only), for Benchmarks/rate-limit.sh.

  token_bucket_server.py [--port 0] [--rate 20] [--capacity 20] [--run-ms 200] [--retry-after 1]

Prints its base URL on the first line of stdout, then serves HTTP/1.1 with keep-alive on 127.0.0.1:
- POST /workflows/run (and any other POST): a token bucket of CAPACITY tokens refilled at RATE per second (it
  starts full). A request that finds a token is run: answered 200 after RUN-MS with one workflow output
  ({"outputs":[{"count":1}],"profiler_trace":[]}); one that finds none is answered 429 at once with
  `Retry-After: RETRY-AFTER` and {"message":"rate limit exceeded"}.
- GET /stats: {"requests", "accepted", "rejected", "images", "accepted_once", "accepted_twice_or_more",
  "max_running"}; images are told apart by the base64 value of input "image".
- POST /reset: zeroes the counters and refills the bucket.
"""
import argparse
import asyncio
import hashlib
import json
import sys
import time


class Bucket:
    def __init__(self, rate, capacity):
        self.rate, self.capacity = rate, capacity
        self.reset()

    def reset(self):
        self.tokens, self.refilled = float(self.capacity), time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = self.accepted = self.rejected = self.running = self.max_running = 0
        self.per_image = {}

    def report(self):
        counts = list(self.per_image.values())
        return {"requests": self.requests, "accepted": self.accepted, "rejected": self.rejected, "images": len(counts),
                "accepted_once": sum(1 for c in counts if c == 1), "accepted_twice_or_more": sum(1 for c in counts if c > 1),
                "max_running": self.max_running}


SUCCESS = b'{"outputs":[{"count":1}],"profiler_trace":[]}'
LIMITED = b'{"message":"rate limit exceeded"}'


def image_key(body):
    try:
        value = json.loads(body)["inputs"]["image"]
        value = value.get("value") if isinstance(value, dict) else value
        return hashlib.sha1(str(value).encode()).hexdigest()
    except (ValueError, KeyError, TypeError):
        return "?"


async def respond(writer, status, reason, body, extra=()):
    head = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/json", f"Content-Length: {len(body)}", *extra]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()


async def handle(reader, writer, bucket, stats, run_s, retry_after):
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, path, _ = line.decode("latin-1").split(" ", 2)
            length = 0
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = await reader.readexactly(length) if length else b""
            if method == "GET" and path.startswith("/stats"):
                await respond(writer, 200, "OK", json.dumps(stats.report()).encode())
            elif method == "POST" and path.startswith("/reset"):
                stats.reset()
                bucket.reset()
                await respond(writer, 200, "OK", b"{}")
            elif method == "POST":
                stats.requests += 1
                if bucket.take():
                    stats.running += 1
                    stats.max_running = max(stats.max_running, stats.running)
                    await asyncio.sleep(run_s)
                    stats.running -= 1
                    stats.accepted += 1
                    key = image_key(body)
                    stats.per_image[key] = stats.per_image.get(key, 0) + 1
                    await respond(writer, 200, "OK", SUCCESS)
                else:
                    stats.rejected += 1
                    await respond(writer, 429, "Too Many Requests", LIMITED, [f"Retry-After: {retry_after}"])
            else:
                await respond(writer, 404, "Not Found", b'{"detail":"Not Found"}')
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--capacity", type=float, default=20)
    parser.add_argument("--run-ms", type=float, default=200)
    parser.add_argument("--retry-after", default="1")
    args = parser.parse_args()
    bucket, stats = Bucket(args.rate, args.capacity), Stats()
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, bucket, stats, args.run_ms / 1000, args.retry_after), "127.0.0.1", args.port, backlog=256)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
