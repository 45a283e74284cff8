#!/usr/bin/env bash
# Runs every test: starts the real inference 1.8.3 server on a free loopback port (installing it into a
# cached venv the first time), runs `swift test` against it, stops the server.
#   scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

state="${TMPDIR:-/tmp}/inference-sdk-test-server-$$"
cleanup() { bash scripts/inference-server.sh stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

echo "==> building (debug, with tests)"
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|found 1 file\(s\) which are unhandled|^warning: .*Resources|^$' || true
swift build --build-tests >/dev/null  # fail here, with the compiler's message above, if the build failed

echo "==> starting the real inference server"
url=$(bash scripts/inference-server.sh start "$state")
export INFERENCE_SERVER_URL="$url"
export INFERENCE_REQUIRE_SERVER=1
export INFERENCE_SERVER_STATE="$state"
export INFERENCE_PYTHON="$(bash scripts/inference-server.sh venv)/bin/python"
echo "    $url"

echo "==> swift test"
log="$state/swift-test.log"
set +e
swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

integration=$(swift test list --skip-build 2>/dev/null | grep -c '^IntegrationTests\.' || true)
cli=$(swift test list --skip-build 2>/dev/null | grep -c '^RFClientTests\.' || true)
skipped=$(grep -c 'skipped' "$log" || true)
echo "==> integration tests against the real server: $integration; CLI end-to-end tests: $cli; lines reporting skips: $skipped"
exit "$status"
