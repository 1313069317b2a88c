#!/usr/bin/env bash
# Runs every OrderHub test (all test projects of OrderHub.sln) and ends with one line:
#   N passed, N failed[, N skipped]
# Exit status is non-zero when any test fails or a test project does not run.
# Tests that need PostgreSQL, Tryton or Chromium start them themselves; .ci/run installs them on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log=$(mktemp)
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
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
