#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/bootstrap.sh: system packages, the inference server's
# cached venv, the model fixtures), builds once, starts the real inference 1.8.3 server on a free loopback port
# (and two more: the stream API's, the model fixtures'), runs `swift test` against them, stops the servers. The
# README's test command; .ci/run runs it too.
#   scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH"

echo "==> installing what is missing (system packages, the inference server's venv; reused when present)"
bash scripts/bootstrap.sh

state="${TMPDIR:-/tmp}/inference-sdk-test-server-$$"
# A second instance with the stream API (video pipelines) and its own pipeline-manager port.
stream_state="${TMPDIR:-/tmp}/inference-sdk-test-stream-server-$$"
# A third serving the model fixtures (OFFLINE_MODE, its own model cache): on the first, coco/3 must stay unloadable
# and the registry empty (ModelRegistryTests).
models_state="${TMPDIR:-/tmp}/inference-sdk-test-models-server-$$"
cleanup() {
  [ -z "${models_start_pid:-}" ] || kill "$models_start_pid" 2>/dev/null || true
  bash scripts/inference-server.sh stop "$state" >/dev/null 2>&1 || true
  bash scripts/inference-server.sh stop "$stream_state" >/dev/null 2>&1 || true
  bash scripts/inference-server.sh stop "$models_state" >/dev/null 2>&1 || true
  rm -rf "$state" "$stream_state" "$models_state" "$models_state.out" "$models_state.log"
}
trap cleanup EXIT

echo "==> starting a server with the model fixtures (INFERENCE_MODELS=1), in the background during the build"
INFERENCE_MODELS=1 bash scripts/inference-server.sh start "$models_state" >"$models_state.out" 2>"$models_state.log" &
models_start_pid=$!

echo "==> building (debug, with tests)"
set +e
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|found 1 file\(s\) which are unhandled|^warning: .*Resources|^$'
build_status=${PIPESTATUS[0]}
set -e
[ "$build_status" -eq 0 ] || { echo "==> the build failed (exit $build_status)"; exit "$build_status"; }

echo "==> documentation (DocC, warnings as errors)"
docs_status=0
bash scripts/docs.sh || docs_status=1

echo "==> starting the real inference server"
url=$(bash scripts/inference-server.sh start "$state")
export INFERENCE_SERVER_URL="$url"
export INFERENCE_REQUIRE_SERVER=1
export INFERENCE_SERVER_STATE="$state"
export INFERENCE_PYTHON="$(bash scripts/inference-server.sh venv)/bin/python"
echo "    $url"

echo "==> starting a second server with ENABLE_STREAM_API=true (video pipelines)"
manager_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
stream_url=$(INFERENCE_EXTRA_ENV="ENABLE_STREAM_API=true STREAM_MANAGER_PORT=$manager_port" \
  bash scripts/inference-server.sh start "$stream_state")
export INFERENCE_STREAM_SERVER_URL="$stream_url"
echo "    $stream_url (pipeline manager on 127.0.0.1:$manager_port)"

echo "==> the model fixtures' server"
models_status=0
if wait "$models_start_pid"; then
  models_start_pid=""
  models_url=$(tail -n 1 "$models_state.out")
  export INFERENCE_MODELS_SERVER_URL="$models_url" INFERENCE_MODELS_SERVER_STATE="$models_state" INFERENCE_MODELS_READY=1
  set -a; . "$models_state/models.env"; set +a  # INFERENCE_MODEL_DETECTION=yolov8n-640, …
  echo "    $models_url: $(cut -d' ' -f1 "$models_state/models.txt" | tr '\n' ' ')"
  # Every task and workflow fixture answers in the documented shape, deterministically, as the Python SDK sees it
  # (and a note when not as in Tests/Fixtures/models/); then the models are unloaded so the tests meet cold starts.
  if "$INFERENCE_PYTHON" scripts/model_examples.py "$models_url" --compare >"$models_state/check.log" 2>&1; then
    echo "    fixtures check: $(grep -c '^ok ' "$models_state/check.log") cases ok"
    grep '^note: ' "$models_state/check.log" | sed 's/^/    /' || true
  else
    tail -n 20 "$models_state/check.log"; models_status=1
  fi
  curl -fsS -m 60 -X POST "$models_url/model/clear" >/dev/null || models_status=1
else
  models_start_pid=""
  echo "    the model fixtures' server did not start:"; tail -n 40 "$models_state.log"; models_status=1
fi

echo "==> warming the server (its first catalogue read and workflow run load most of its modules)"
curl -sS -m 300 -o /dev/null "$url/workflows/blocks/describe" || echo "    the catalogue read failed (the tests will say more)"
python3 - "$url" <<'PY' || echo "    the warm-up run failed (the tests will say more)"
import base64, json, sys, urllib.request
spec = json.load(open("Tests/Fixtures/workflows/blur.json"))
image = base64.b64encode(open("Tests/Fixtures/workflows/swatch.png", "rb").read()).decode()
body = json.dumps({"specification": spec, "inputs": {"image": {"type": "base64", "value": image}}}).encode()
request = urllib.request.Request(sys.argv[1] + "/workflows/run", body, {"Content-Type": "application/json"})
try:
    urllib.request.urlopen(request, timeout=300).read()
except urllib.error.HTTPError:
    pass  # an answer is all the warm-up needs
PY

echo "==> benchmark smoke run (scripts work end to end; tiny counts, no speed verdicts)"
smoke_status=0
if bash Benchmarks/run-all --smoke >"$state/bench-smoke.log" 2>&1; then
  echo "    ok ($(grep -c '^| ' "$state/bench-smoke.log" || true) table rows)"
else
  tail -n 40 "$state/bench-smoke.log"; smoke_status=1
fi

echo "==> swift test"
log="$state/swift-test.log"
set +e
swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

swift test list --skip-build >"$state/tests.txt" 2>/dev/null || true
integration=$(grep -c '^IntegrationTests\.' "$state/tests.txt" || true)
cli=$(grep -c '^RFClientTests\.' "$state/tests.txt" || true)
surface=$(grep -c '^ServerSurfaceTests\.' "$state/tests.txt" || true)
# Skips as Swift Testing reports them, one line each: "➜ Test name() skipped: reason", and for a suite skipped whole
# "➜ Suite Name skipped: reason" as well as a line for each of its tests.
skip_pattern='^[^ ]+ (Test|Suite) .+ skipped'
skipped_tests=$(grep -cE '^[^ ]+ Test .+ skipped' "$log" || true)
skipped_suites=$(grep -cE '^[^ ]+ Suite .+ skipped' "$log" || true)
skipped=$((skipped_tests + skipped_suites))
echo "==> integration tests against the real server: $integration; CLI end-to-end tests: $cli; server surface (pipelines, tooling, models): $surface"
echo "==> $skipped_tests skipped tests ($skipped_suites suites skipped whole)"
# With INFERENCE_REQUIRE_SERVER=1 (exported above; CI) everything the suites need is here, so nothing may skip: a
# missing requirement fails its tests with a line naming it, and any skip left fails the run.
if [ "$skipped" -ne 0 ] && [ "${INFERENCE_REQUIRE_SERVER:-}" = "1" ]; then
  echo "==> skips under INFERENCE_REQUIRE_SERVER=1, where nothing may be skipped:"
  grep -E "$skip_pattern" "$log" | sed 's/^/    /' || true
  [ "$status" -ne 0 ] || status=1
fi
[ "$models_status" -eq 0 ] || { echo "==> the model fixtures' server failed (see above)"; [ "$status" -ne 0 ] || status=1; }
[ "$smoke_status" -eq 0 ] || { echo "==> the benchmark smoke run failed (see above)"; [ "$status" -ne 0 ] || status=1; }
[ "$docs_status" -eq 0 ] || { echo "==> the documentation did not build cleanly (see above)"; [ "$status" -ne 0 ] || status=1; }
if [ "$status" -ne 0 ]; then
  # What the servers logged as errors (many are the negative tests' expected ones), to tell a server fault from ours.
  echo "==> the last errors the servers logged"
  for f in "$state/server.log" "$stream_state/server.log" "$models_state/server.log"; do
    [ -f "$f" ] || continue
    grep -E '^\[[0-9/ :]+\] ERROR|^ +ERROR ' "$f" | sed -E 's/ {2,}/ /g; s/(api_key=)[^&" ]+/\1***/g' | tail -n 8 || true
  done
fi
# The test runner's own summary, last.
grep -E 'Test run with [0-9]+ tests' "$log" | tail -n 1
exit "$status"
