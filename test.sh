#!/usr/bin/env bash
# Runs every OrderHub test (all test projects of OrderHub.sln, then the mini-program's Node tests) and ends with one line:
#   N passed, N failed[, N skipped]
# Exit status is non-zero when any test fails or a test project does not run.
# Tests that need PostgreSQL, Tryton or Chromium start them themselves; .ci/run installs them on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log=$(mktemp)
rm -f tests/*/bin/*/net10.0/contract-summary.txt miniprogram-api/miniprogram/test/.contract-summary.txt
dotnet test OrderHub.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Each test project prints "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..." (or "Failed!  - ...").
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
    n++
  }
  END { print p+0, f+0, s+0, n+0 }' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test exited with $status (build error or a test host crashed)"; fi
# How many API responses the contract check validated against the OpenAPI document, one line per suite that runs a
# server (each test project writes contract-summary.txt after its last test; stale ones are removed before the run).
contract_summaries() { for f in tests/*/bin/*/net10.0/contract-summary.txt "$@"; do [ -f "$f" ] && cat "$f"; done; }

# The mini-program's Node tests (miniprogram-simulate + jest) against a real OrderHub server they start themselves.
# node_modules comes from the committed package-lock.json (.ci/run runs `npm ci`; done here too when it is missing).
mp=miniprogram-api/miniprogram
mp_json=$(mktemp)
mp_status=0
if [ ! -d "$mp/node_modules" ]; then (cd "$mp" && npm ci --no-audit --no-fund) || mp_status=$?; fi
if [ "$mp_status" -eq 0 ] && [ ! -f miniprogram-api/OrderHub.Api/bin/Debug/net10.0/OrderHub.Api.dll ]; then
  dotnet build miniprogram-api/OrderHub.Api --nologo -v q || mp_status=$?
fi
if [ "$mp_status" -eq 0 ]; then
  (cd "$mp" && npx jest --ci --json --outputFile="$mp_json") || mp_status=$?
fi
read -r mp_passed mp_failed < <(node -e '
  try { const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites) }
  catch (e) { console.log(0, 0) }' "$mp_json")
rm -f "$mp_json"
echo "mini-program (Node): $mp_passed passed, $mp_failed failed"
contract_summaries "$mp/test/.contract-summary.txt"
contract_summaries "$mp/test/.contract-summary.txt" | awk '{ for (i = 1; i < NF; i++) { if ($(i+1) == "responses" && $(i+2) == "validated") v += $i; if ($(i+1) == "mismatches,") m += $i } }
  END { if (NR) print "contract (all suites): " v+0 " responses validated against the OpenAPI document, " m+0 " mismatches" }'
# A mismatch found while a fixture tears its host down is a fixture error that dotnet test may not count as a failed test.
mismatches=$(contract_summaries "$mp/test/.contract-summary.txt" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "mismatches,") m += $i } END { print m+0 }')
if [ "$mismatches" -gt 0 ]; then echo "the contract check found $mismatches responses that do not match the OpenAPI document (see above)"; failed=$((failed + 1)); [ "$status" -eq 0 ] && status=1; fi
if [ "$mp_status" -ne 0 ] && [ "$mp_failed" -eq 0 ]; then mp_failed=1; echo "mini-program tests exited with $mp_status (npm ci, build or the test server failed)"; fi
passed=$((passed + mp_passed)); failed=$((failed + mp_failed))
if [ "$mp_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$mp_status; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
