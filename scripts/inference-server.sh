#!/usr/bin/env bash
# Installs (once, cached outside the repo) and runs the real `inference` server on loopback.
#
#   scripts/inference-server.sh install            # create/reuse the venv
#   scripts/inference-server.sh start [STATE_DIR]  # start on a free 127.0.0.1 port; prints the base URL
#   scripts/inference-server.sh stop  [STATE_DIR]  # stop it by PID
#
# Environment:
#   INFERENCE_VENV   venv location (default: $XDG_CACHE_HOME/inference-sdk-swift/venv-1.8.3)
#   INFERENCE_EXTRA_ENV  extra "K=V K=V" settings for the server (e.g. ENABLE_STREAM_API=true)
#   INFERENCE_MODELS=1   serve the project's model fixtures (scripts/model-fixtures.sh: built once per recipe, cached):
#                        the server runs with OFFLINE_MODE=True and MODEL_CACHE_DIR=STATE_DIR/models, a
#                        copy of the fixtures (what the server writes there stays out of the shared cache); STATE_DIR
#                        receives models (the model cache dir), models.txt ("ID TASK" a line) and models.env
#                        (INFERENCE_MODEL_DETECTION=yolov8n-640 … : the id a test should use for each task)
# STATE_DIR (default .inference-server in the current directory) receives pid, port, url and server.log.
set -euo pipefail

INFERENCE_VERSION=1.8.3
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/inference-sdk-swift"
VENV="${INFERENCE_VENV:-$CACHE_ROOT/venv-$INFERENCE_VERSION}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

http_requirements=(
  "uvicorn[standard]<=0.34.0" "python-multipart==0.0.32" "fastapi-cprofile<=0.0.2"
  "orjson>=3.11.6,<4" "asgi_correlation_id~=4.3.1"
  "opentelemetry-api~=1.41.1" "opentelemetry-sdk~=1.41.1"
  "opentelemetry-exporter-otlp-proto-grpc~=1.41.1" "opentelemetry-exporter-otlp-proto-http~=1.41.1"
  "opentelemetry-instrumentation-fastapi~=0.62b1" "opentelemetry-instrumentation-requests~=0.62b1"
)

log() { echo "inference-server: $*" >&2; }

install() {
  if [ -f "$VENV/.complete" ]; then
    log "reusing $VENV"
    return 0
  fi
  log "installing inference==$INFERENCE_VERSION into $VENV (several minutes on a fresh machine)"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip wheel >&2
  # A CPU-only torch wheel, when the machine ships one, saves gigabytes of CUDA downloads.
  local cpu_torch
  cpu_torch=$(ls /opt/wheels/torch-*+cpu-*.whl 2>/dev/null | head -n 1 || true)
  if [ -n "$cpu_torch" ]; then
    "$VENV/bin/pip" install --quiet "$cpu_torch" >&2 || log "cpu torch wheel refused; pip will choose"
  fi
  "$VENV/bin/pip" install --quiet "inference==$INFERENCE_VERSION" "${http_requirements[@]}" >&2
  touch "$VENV/.complete"
  log "installed"
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# Whether process PID itself holds the listening socket on 127.0.0.1:PORT (/proc/net/tcp, LISTEN = 0A): GET /info
# alone would also be answered by another server that took the same port, while ours failed to bind it.
listens() {
  python3 - "$1" "$2" <<'PY'
import os, sys
pid, port = sys.argv[1], int(sys.argv[2])
inodes = set()
with open("/proc/net/tcp") as table:
    for line in list(table)[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inodes.add("socket:[%s]" % fields[9])
try:
    held = {os.readlink("/proc/%s/fd/%s" % (pid, fd)) for fd in os.listdir("/proc/%s/fd" % pid)}
except OSError:
    held = set()
sys.exit(0 if inodes & held else 1)
PY
}

start() {
  local state="${1:-.inference-server}"
  install
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    log "already running (pid $(cat "$state/pid"))"
    cat "$state/url"
    return 0
  fi
  # The app reads ./inference/landing/out/... relative to its working directory.
  mkdir -p "$state/run/inference/landing/out/static" "$state/run/inference/landing/out/_next/static"
  cp "$HERE/inference_app.py" "$state/run/inference_app.py"
  local model_env=""
  if [ "${INFERENCE_MODELS:-}" = "1" ]; then
    local fixtures; fixtures="$(bash "$HERE/model-fixtures.sh" build)"
    rm -rf "$state/models"
    cp -a "$fixtures" "$state/models"
    python3 - "$state/models/manifest.json" "$state/models.txt" "$state/models.env" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.writelines(f"{m['model_id']} {m['task']}\n" for m in manifest["models"])
with open(sys.argv[3], "w") as f:
    f.writelines(f"{name}={value}\n" for name, value in manifest["env"].items())
PY
    model_env="OFFLINE_MODE=True MODEL_CACHE_DIR=$state/models"
    log "serving the model fixtures: $(cut -d' ' -f1 "$state/models.txt" | tr '\n' ' ')"
  fi
  local port url attempt
  for attempt in 1 2 3; do
    port="${INFERENCE_PORT:-$(free_port)}"
    (
      cd "$state/run"
      # shellcheck disable=SC2086
      env METRICS_ENABLED=false DISABLE_VERSION_CHECK=true ENABLE_WORKFLOWS_PROFILING=true \
        $model_env ${INFERENCE_EXTRA_ENV:-} \
        "$VENV/bin/python" -m uvicorn inference_app:app --host 127.0.0.1 --port "$port" \
        >"$state/server.log" 2>&1 &
      echo $! >"$state/pid"
    )
    echo "$port" >"$state/port"
    url="http://127.0.0.1:$port"
    echo "$url" >"$state/url"
    log "started pid $(cat "$state/pid") on $url, waiting for GET /info"
    local deadline=$((SECONDS + ${INFERENCE_START_TIMEOUT:-240}))
    # Ready when our own process listens on the port and answers.
    until listens "$(cat "$state/pid")" "$port" && curl -fsS "$url/info" >/dev/null 2>&1; do
      if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        if grep -q "address already in use" "$state/server.log" && [ -z "${INFERENCE_PORT:-}" ] && [ "$attempt" -lt 3 ]; then
          log "port $port was taken meanwhile; trying another"
          continue 2
        fi
        log "server exited; last log lines:"; tail -n 40 "$state/server.log" >&2; rm -f "$state/pid"; return 1
      fi
      if [ $SECONDS -ge $deadline ]; then
        log "not ready in time; last log lines:"; tail -n 40 "$state/server.log" >&2; stop "$state"; return 1
      fi
      sleep 1
    done
    log "ready: $(curl -fsS "$url/info")"
    echo "$url"
    return 0
  done
  return 1
}

stop() {
  local state="${1:-.inference-server}"
  [ -f "$state/pid" ] || { log "not running"; return 0; }
  local pid; pid=$(cat "$state/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state/pid"
  log "stopped pid $pid"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  venv) echo "$VENV" ;;
  *) echo "usage: $0 install|start [STATE_DIR]|stop [STATE_DIR]|venv" >&2; exit 2 ;;
esac
