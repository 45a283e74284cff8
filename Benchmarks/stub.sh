#!/usr/bin/env bash
# The stub server of P2/P3/P5: nginx on 127.0.0.1 answering a fixed workflow JSON to POST /workflows/run
# (request bodies up to 16 MB are read and discarded). The access log records the connection serial and the
# request count on that connection, so connection reuse can be checked.
#
#   Benchmarks/stub.sh start STATE_DIR   # prints the base URL
#   Benchmarks/stub.sh stop  STATE_DIR   # stops it by PID
#   Benchmarks/stub.sh connections STATE_DIR   # "requests connections" seen in the access log
set -euo pipefail

RESPONSE='{"outputs":[{"predictions":{"image":{"width":1920,"height":1080},"predictions":[{"x":960.5,"y":540.5,"width":100.0,"height":80.0,"confidence":0.93,"class":"car","class_id":1,"detection_id":"5b5c2f8e-3c1a-4d8e-9a1b-0c2d3e4f5a6b","parent_id":"image"}]}}],"profiler_trace":[]}'

start() {
  local state; mkdir -p "$1"; state="$(cd "$1" && pwd)"
  if [ -f "$state/nginx.pid" ] && kill -0 "$(cat "$state/nginx.pid")" 2>/dev/null; then cat "$state/url"; return 0; fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$state/tmp"
  : >"$state/access.log"
  cat >"$state/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $state/nginx.pid;
error_log $state/error.log warn;
events { worker_connections 4096; }
http {
  log_format stub '\$connection \$connection_requests \$request_method \$request_length \$status';
  access_log $state/access.log stub buffer=256k flush=1s;
  client_body_temp_path $state/tmp/body;
  proxy_temp_path $state/tmp/proxy;
  fastcgi_temp_path $state/tmp/fastcgi;
  uwsgi_temp_path $state/tmp/uwsgi;
  scgi_temp_path $state/tmp/scgi;
  client_max_body_size 16m;
  client_body_buffer_size 2m;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$port backlog=1024;
    location = /workflows/run {
      default_type application/json;
      return 200 '$RESPONSE';
    }
    location / { return 404; }
  }
}
CONF
  nginx -c "$state/nginx.conf" -e "$state/error.log"
  echo "http://127.0.0.1:$port" >"$state/url"
  for _ in $(seq 1 50); do
    curl -fsS -X POST -d '{}' "http://127.0.0.1:$port/workflows/run" >/dev/null 2>&1 && break
    sleep 0.1
  done
  cat "$state/url"
}

stop() {
  local state="$1"
  [ -f "$state/nginx.pid" ] || return 0
  local pid; pid=$(cat "$state/nginx.pid")
  kill "$pid" 2>/dev/null || true   # master exits after its worker
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$state/nginx.pid"
}

connections() {  # requests and distinct connections logged since the last `reset`
  local state="$1"
  kill -USR1 "$(cat "$state/nginx.pid")" 2>/dev/null || true  # reopen logs = flush the buffer
  sleep 0.3
  awk '$3=="POST"{n++; c[$1]=1} END{m=0; for(k in c) m++; print n+0, m}' "$state/access.log"
}

reset() { : >"$1/access.log"; kill -USR1 "$(cat "$1/nginx.pid")" 2>/dev/null || true; sleep 0.2; : >"$1/access.log"; }

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  connections) connections "$2" ;;
  reset) reset "$2" ;;
  *) echo "usage: $0 start|stop|connections|reset STATE_DIR" >&2; exit 2 ;;
esac
