"""The server's own time for one workflow request: POSTs a pre-encoded body N times over one warm keep-alive
connection (no process start, no encoding, no connect) and prints {"server_s": median, "runs": N} as JSON.
This is what a client costing nothing would wait for; P1 uses it as the floor.

  server_time.py URL BODY_FILE [N]
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

url, body_path = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
body = open(body_path, "rb").read()
parts = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
headers = {"Content-Type": "application/json", "Connection": "keep-alive"}


def post():
    conn.request("POST", "/workflows/run", body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise SystemExit(f"HTTP {response.status}: {data[:200]!r}")


post()  # warm-up: connection and server caches
times = []
for _ in range(runs):
    start = time.perf_counter()
    post()
    times.append(time.perf_counter() - start)
print(json.dumps({"server_s": statistics.median(times), "runs": runs}))
