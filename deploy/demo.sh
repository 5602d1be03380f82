#!/usr/bin/env bash
# The demo that deploy/up.sh runs once the system is up: it drives the running web API with the `slmops`
# command line, the way a team would, and ends with generated text served by LLM + SLM.
#
#   1. upload two text datasets: a base corpus (the licence texts Debian ships in /usr/share/common-licenses)
#      and a task corpus (the fortunes of Debian's fortunes-min package);
#   2. prepare (tokenize) the base corpus and pretrain a tiny LLM on it;
#   3. prepare the task corpus with that LLM's tokenizer and train a task SLM that follows the frozen LLM;
#   4. promote the SLM version to `production` (the gate reads its validation loss) and generate with
#      task@production, side by side with the LLM alone.
#
#   deploy/demo.sh [WEB_URL]       (default http://127.0.0.1:5080; key from .slmops/admin-key or SLMOPS_API_KEY)
#   SLMOPS_DEMO_PRETRAIN_STEPS / SLMOPS_DEMO_FINETUNE_STEPS change the training lengths (defaults 1000 / 400).
set -euo pipefail
shopt -s inherit_errexit
SLMOPS_SCRIPT=demo
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

SERVER="${1:-$WEB_URL}"
PRETRAIN_STEPS="${SLMOPS_DEMO_PRETRAIN_STEPS:-1000}"
FINETUNE_STEPS="${SLMOPS_DEMO_FINETUNE_STEPS:-400}"
KEY="${SLMOPS_API_KEY:-}"
if [[ -z "$KEY" ]]; then
    [[ -r "$STATE_DIR/admin-key" ]] || fail "no API key: set SLMOPS_API_KEY or run deploy/up.sh (it writes $STATE_DIR/admin-key)"
    KEY="$(cat "$STATE_DIR/admin-key")"
fi

cli_dll="$REPO_ROOT/src/SlmOps.Cli/bin/$CONFIGURATION/net10.0/slmops.dll"
if [[ ! -f "$cli_dll" ]]; then
    say "building the slmops command line ($CONFIGURATION)"
    dotnet build src/SlmOps.Cli/SlmOps.Cli.csproj -c "$CONFIGURATION" -nologo -v:quiet >/dev/null || fail "build of SlmOps.Cli failed"
fi
# The CLI reads its server and key from the environment (so the key never shows in a process list).
export SLMOPS_SERVER="$SERVER" SLMOPS_API_KEY="$KEY"
slmops() { dotnet "$cli_dll" "$@"; }
# Reads one field from the JSON document on stdin: json_field id | json_field latest.version
json_field() { python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stamp="$(date +%Y%m%d-%H%M%S)"

# ------------------------------------------------------------------------------------------- corpora
licences=(/usr/share/common-licenses/GPL-2 /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/LGPL-2.1)
for f in "${licences[@]}"; do [[ -r "$f" ]] || fail "$f is missing (package base-files)"; done
cat "${licences[@]}" >"$work/base.txt"
fortunes=/usr/share/games/fortunes/fortunes
[[ -r "$fortunes" ]] || fail "$fortunes is missing (run deploy/install.sh: package fortunes-min)"
# Fortunes are separated by lines holding a single '%': blank lines make them documents.
sed 's/^%$//' "$fortunes" /usr/share/games/fortunes/literature /usr/share/games/fortunes/riddles 2>/dev/null >"$work/task.txt" \
    || sed 's/^%$//' "$fortunes" >"$work/task.txt"

# Submits a run and follows it with a live progress bar; prints the run id on stdout.
submit_and_watch() {
    local kind="$1" name="$2" spec="$3" id
    printf '%s' "$spec" >"$work/spec.json"
    local out
    out="$(slmops runs submit "$kind" --spec "$work/spec.json" --name "$name" --json)"
    id="$(json_field id <<<"$out")"
    say "$kind run $name: $id" >&2
    slmops runs watch "$id" >&2 || fail "$kind run $id did not succeed (slmops runs get $id)"
    echo "$id"
}

# Uploads a file and prepares it; prints the dataset version id.
upload_and_prepare() {
    local name="$1" file="$2" tokenizer_from="${3:-}" version_id spec out
    out="$(slmops datasets upload "$name" "$file" --json)"
    version_id="$(json_field id <<<"$out")"
    say "uploaded $file as $name (dataset version id $version_id)" >&2
    spec="{\"datasetVersionId\": $version_id"
    [[ -n "$tokenizer_from" ]] && spec+=", \"tokenizerFromBaseModelVersionId\": $tokenizer_from"
    spec+="}"
    submit_and_watch prepare "prepare-$name" "$spec" >/dev/null
    echo "$version_id"
}

say "1/4 base corpus -> dataset demo-base-$stamp"
base_ds="$(upload_and_prepare "demo-base-$stamp" "$work/base.txt")"

say "2/4 pretraining a tiny LLM for $PRETRAIN_STEPS steps"
pretrain_run="$(submit_and_watch pretrain "demo-llm-$stamp" \
    "{\"datasetVersionId\": $base_ds, \"baseModelName\": \"demo-llm\", \"preset\": \"tiny-fft\",
      \"training\": {\"steps\": $PRETRAIN_STEPS, \"evalEvery\": 50, \"checkpointEvery\": 100}}")"
llm_version_id="$(curl -fsS -H "Authorization: Bearer $KEY" "$SERVER/api/v1/base-models/demo-llm/versions" | python3 -c '
import json,sys
run=sys.argv[1]
versions=json.load(sys.stdin)
versions=versions.get("versions", versions) if isinstance(versions, dict) else versions
print(next(v["id"] for v in versions if v.get("runId")==run))' "$pretrain_run")" \
    || fail "the pretrain run $pretrain_run registered no version of base model demo-llm"
say "base model version id $llm_version_id registered (its weights are frozen from here on)"

say "3/4 task corpus with the LLM's tokenizer, then a task SLM (logits coupling) for $FINETUNE_STEPS steps"
task_ds="$(upload_and_prepare "demo-fortunes-$stamp" "$work/task.txt" "$llm_version_id")"
submit_and_watch finetune "demo-fortunes-slm-$stamp" \
    "{\"baseModelVersionId\": $llm_version_id, \"datasetVersionId\": $task_ds, \"taskModelName\": \"demo-fortunes\",
      \"method\": \"slm\", \"coupling\": \"logits\", \"initialization\": \"copy-tables\", \"slmPreset\": \"tiny-fft\",
      \"training\": {\"steps\": $FINETUNE_STEPS, \"evalEvery\": 50, \"checkpointEvery\": 100}}" >/dev/null
versions_json="$(slmops versions demo-fortunes --json)"
version="$(python3 -c '
import json,sys
v=json.load(sys.stdin)
v=v.get("versions", v) if isinstance(v, dict) else v
print(max(x["version"] for x in v))' <<<"$versions_json")"

say "4/4 promoting demo-fortunes v$version to production and generating"
if ! slmops promote demo-fortunes production "$version"; then
    say "the promotion gate refused v$version (the current production version scores better); forcing it for the demo"
    slmops promote demo-fortunes production "$version" --force --reason "deploy/demo.sh run $stamp"
fi
slmops generate demo-fortunes@production "The " --max-tokens 120 --temperature 0.8 --top-k 20 --seed 7 --compare

say "done: open $SERVER/ (sign in with the key in $STATE_DIR/admin-key) to see the runs, their curves and the registry"
