#!/usr/bin/env bash
# Builds the DocC documentation of every library product with swift-docc-plugin, warnings as errors (a broken
# symbol link or an undocumented parameter fails it). Uses the debug build scripts/test.sh made (same .build).
#   scripts/docs.sh            # InferenceSDK, InferenceSDKVideo, InferenceSDKTesting, InferenceJobs, InferenceSDKURLSession
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH"
for target in InferenceSDK InferenceSDKVideo InferenceSDKTesting InferenceJobs InferenceSDKURLSession; do
  log=$(mktemp)
  if swift package generate-documentation --target "$target" --warnings-as-errors >"$log" 2>&1; then
    echo "    $target: $(grep -c '' "$log") lines of output, no documentation warnings"
  else
    grep -E "^(warning|error)|-->" "$log" | grep -v 'unhandled; explicitly declare them as resources' | head -n 40
    echo "==> the documentation of $target does not build cleanly (see above)"
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done
