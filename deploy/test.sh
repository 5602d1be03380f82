#!/usr/bin/env bash
# THE test command. Installs what is missing, starts the local stack, validates docker-compose.yml,
# builds the whole solution (native libtorch shim included), runs every test project and a short chaos soak
# (deploy/bench.sh chaos with fewer runs and faults, on a private PostgreSQL and RabbitMQ), then prints
# one closing line `N passed, M failed, K skipped` summed over all test projects.
# Exit status: 0 only when the build succeeded, every test project ran, no test failed and the soak met its targets.
#
# Environment: SLMOPS_CONFIGURATION (Release), SLMOPS_TEST_FILTER (a `dotnet test --filter` expression; the soak is
# skipped then), SLMOPS_SKIP_CHAOS=1 (skip the soak), SLMOPS_SKIP_INSTALL=1 (skip deploy/install.sh), plus everything
# deploy/stack.sh reads.
set -euo pipefail
SLMOPS_SCRIPT=test
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"
started=$SECONDS

if [[ "${SLMOPS_SKIP_INSTALL:-0}" != 1 ]]; then
    bash deploy/install.sh
fi
bash deploy/stack.sh start
load_stack_env

say "validating docker-compose.yml (docker-compose config -q)"
docker-compose -f docker-compose.yml config -q || fail "docker-compose.yml is invalid"

say "building SlmOps.sln ($CONFIGURATION)"
dotnet build SlmOps.sln -c "$CONFIGURATION" -nologo -v:minimal || fail "build failed"

results="$STATE_DIR/test-results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"
# The browser tests (tests/SlmOps.E2ETests) save a screenshot per dashboard page here, next to the TRX files.
export SLMOPS_SCREENSHOTS="$results/screenshots"
filter=()
[[ -n "${SLMOPS_TEST_FILTER:-}" ]] && filter=(--filter "$SLMOPS_TEST_FILTER")

say "running tests (TRX results in $results)"
set +e
# A hung test must not eat the whole CI budget: the blame collector dumps and kills it.
dotnet test SlmOps.sln -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
    --blame-hang-timeout 15m "${filter[@]}"
test_exit=$?
set -e

# The short chaos soak: 6 runs on 2 workers while a worker is killed twice and PostgreSQL, RabbitMQ and the web host
# restart once each (about 2-3 minutes on 2 cores). Its last line is kept next to the TRX files.
chaos_exit=0
if [[ -z "${SLMOPS_TEST_FILTER:-}" && "${SLMOPS_SKIP_CHAOS:-0}" != 1 ]]; then
    say "chaos soak (short): deploy/bench.sh chaos --runs 6 --worker-kills 2 --pg-restarts 1 --broker-restarts 1 --web-restarts 1 --steps 400"
    set +e
    SLMOPS_CHAOS_NO_BUILD=1 bash deploy/bench.sh chaos --runs 6 --worker-kills 2 --pg-restarts 1 --broker-restarts 1 --web-restarts 1 \
        --steps 400 --deadline 600 >"$results/chaos.log" 2>&1
    chaos_exit=$?
    set -e
    grep -E '^(fault |  chaos-|runs |wall time|[0-9]+ fault)' "$results/chaos.log" || true
    say "$(tail -n 1 "$results/chaos.log")"
    ((chaos_exit == 0)) || say "FAILED chaos soak (exit $chaos_exit): its targets were missed; the whole output is in $results/chaos.log"
fi

# One pass over the TRX files (one per test project): name every failed test with the start of its message on
# stderr, so the tail of a CI log says what failed, and sum the counters on stdout.
summary="$(/usr/bin/python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = files = 0
for path in sorted(glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    files += 1
    c = {k: int(v) for k, v in counters.attrib.items() if v.isdigit()}
    passed += c.get("passed", 0)
    failed += c.get("failed", 0) + c.get("error", 0) + c.get("timeout", 0) + c.get("aborted", 0)
    skipped += c.get("notExecuted", 0) + c.get("inconclusive", 0)
    for result in root.iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") in ("Passed", "NotExecuted", "Inconclusive"):
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
        stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=ns).strip()
        print(f"[test] FAILED {result.get('testName')} ({result.get('outcome')}, {result.get('duration')})", file=sys.stderr)
        for line in message.splitlines()[:12] + stack.splitlines()[:6]:
            print("[test]     " + line[:300], file=sys.stderr)
print(files, passed, failed, skipped)
PY
)"
read -r trx_files passed failed skipped <<<"$summary"
projects="$(dotnet sln SlmOps.sln list | grep -c 'Tests\.csproj$' || true)"

say "test projects in the solution: $projects; TRX result files: $trx_files; dotnet test exit code: $test_exit"
say "wall time: $((SECONDS - started)) s"
rc=0
if ((test_exit != 0 && failed == 0)); then
    say "dotnet test failed without a failed test (a test host crashed or a project did not run)"
    rc=1
fi
((failed > 0)) && rc=1
((chaos_exit != 0)) && rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
