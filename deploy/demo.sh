#!/usr/bin/env bash
# The demo that deploy/up.sh runs once the system is up: it drives the running web API with the `slmops`
# command line (the .NET tool up.sh installs), the way a team would, and ends with what the SLM is worth on the task
# and generated text served by LLM + SLM beside the LLM alone.
#
#   1. upload two text datasets: a base corpus (the licence texts Debian ships in /usr/share/common-licenses)
#      and a task corpus (the fortunes of Debian's fortunes-min package);
#   2. prepare (tokenize) the base corpus and pretrain a tiny LLM on it;
#   3. prepare the task corpus with that LLM's tokenizer and train a task SLM that follows the frozen LLM, and (unless
#      SLMOPS_DEMO_FULL_FINETUNE_STEPS=0) a full fine-tune of a copy of the LLM as the reference;
#   4. score the LLM alone, the LLM with the SLM (and the full fine-tune) on the task's validation split with
#      `evaluate` runs, read the results back from the registry and print them as a table, with the share of the
#      gap to the full fine-tune that the SLM closes;
#   5. promote the SLM version to `production` (the gate reads its validation loss) and generate with
#      task@production, side by side with the LLM alone.
#
#   deploy/demo.sh [WEB_URL]       (default http://127.0.0.1:5080; key from .slmops/admin-key or SLMOPS_API_KEY)
#   SLMOPS_DEMO_PRETRAIN_STEPS / SLMOPS_DEMO_FINETUNE_STEPS / SLMOPS_DEMO_FULL_FINETUNE_STEPS change the training
#   lengths (defaults 1000 / 400 / 400; 0 full fine-tune steps leaves the reference out).
set -euo pipefail
shopt -s inherit_errexit
SLMOPS_SCRIPT=demo
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

SERVER="${1:-$WEB_URL}"
PRETRAIN_STEPS="${SLMOPS_DEMO_PRETRAIN_STEPS:-1000}"
FINETUNE_STEPS="${SLMOPS_DEMO_FINETUNE_STEPS:-400}"
FULL_FINETUNE_STEPS="${SLMOPS_DEMO_FULL_FINETUNE_STEPS:-400}"
KEY="${SLMOPS_API_KEY:-}"
if [[ -z "$KEY" ]]; then
    [[ -r "$STATE_DIR/admin-key" ]] || fail "no API key: set SLMOPS_API_KEY or run deploy/up.sh (it writes $STATE_DIR/admin-key)"
    KEY="$(cat "$STATE_DIR/admin-key")"
fi

# The CLI reads its server and key from the environment (so the key never shows in a process list).
export SLMOPS_SERVER="$SERVER" SLMOPS_API_KEY="$KEY"
# `slmops` is the .NET tool deploy/up.sh installs into $CLI_TOOL_PATH; run alone, the demo installs it there itself.
if [[ ! -x "$CLI_TOOL_PATH/slmops" ]]; then
    say "installing the slmops command line into $CLI_TOOL_PATH"
    install_cli_tool
fi
export PATH="$CLI_TOOL_PATH:$PATH"
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

# Submits a run (it queues behind the ones before it); prints its id on stdout.
submit() {
    local name="$1" kind="$2" spec="$3" id
    printf '%s' "$spec" >"$work/spec.json"
    id="$(slmops runs submit "$kind" --spec "$work/spec.json" --name "$name" --json | json_field id)"
    say "$kind run $name: $id" >&2
    echo "$id"
}
# Follows a run with a live progress bar (on stderr) until it ends; fails unless it succeeded.
watch() { slmops runs watch "$1" >&2 || fail "$2 run $1 did not succeed (slmops runs get $1)"; }
# Submits a run and follows it; prints the run id on stdout.
submit_and_watch() {
    local id
    id="$(submit "$2" "$1" "$3")"
    watch "$id" "$1"
    echo "$id"
}
# Reads a registry version list (stdin) and prints the version the given run registered, as JSON.
version_of_run() { python3 -c 'import json,sys
v=json.load(sys.stdin)
v=v.get("versions", v) if isinstance(v, dict) else v
print(json.dumps(next(x for x in v if x.get("runId")==sys.argv[1])))' "$1"; }

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

say "1/5 base corpus -> dataset demo-base-$stamp"
base_ds="$(upload_and_prepare "demo-base-$stamp" "$work/base.txt")"

say "2/5 pretraining a tiny LLM for $PRETRAIN_STEPS steps"
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

say "3/5 task corpus with the LLM's tokenizer, then a task SLM (logits coupling) for $FINETUNE_STEPS steps"
task_ds="$(upload_and_prepare "demo-fortunes-$stamp" "$work/task.txt" "$llm_version_id")"
training="{\"steps\": $FINETUNE_STEPS, \"evalEvery\": 50, \"checkpointEvery\": 100}"
slm_run="$(submit demo-fortunes-slm-$stamp finetune \
    "{\"baseModelVersionId\": $llm_version_id, \"datasetVersionId\": $task_ds, \"taskModelName\": \"demo-fortunes\",
      \"method\": \"slm\", \"coupling\": \"logits\", \"initialization\": \"copy-tables\", \"slmPreset\": \"tiny-fft\",
      \"training\": $training}")"
# The reference every adaptation is measured against: a full fine-tune of a copy of the LLM, in its own task model
# (it is not a follower, so it is never served). Queued now so the worker goes straight on to it.
if ((FULL_FINETUNE_STEPS > 0)); then
    fft_run="$(submit demo-fortunes-full-$stamp finetune \
        "{\"baseModelVersionId\": $llm_version_id, \"datasetVersionId\": $task_ds, \"taskModelName\": \"demo-fortunes-full\",
          \"method\": \"full-finetune\", \"training\": {\"steps\": $FULL_FINETUNE_STEPS, \"evalEvery\": 50, \"checkpointEvery\": 100}}")"
fi
watch "$slm_run" finetune
slm_version_json="$(slmops versions demo-fortunes --json | version_of_run "$slm_run")" \
    || fail "the finetune run $slm_run registered no version of task model demo-fortunes"
slm_version_id="$(json_field id <<<"$slm_version_json")"
version="$(json_field version <<<"$slm_version_json")"
if ((FULL_FINETUNE_STEPS > 0)); then
    say "full fine-tune of a copy of the LLM for $FULL_FINETUNE_STEPS steps (the reference)"
    watch "$fft_run" finetune
    fft_version_id="$(slmops versions demo-fortunes-full --json | version_of_run "$fft_run" | json_field id)" \
        || fail "the finetune run $fft_run registered no version of task model demo-fortunes-full"
fi

say "4/5 evaluate runs on the task's validation split (dataset version $task_ds): the LLM alone, the LLM + SLM${fft_version_id:+, the full fine-tune}"
eval_llm="$(submit "demo-eval-llm-$stamp" evaluate "{\"datasetVersionId\": $task_ds, \"baseModelVersionId\": $llm_version_id}")"
eval_slm="$(submit "demo-eval-slm-$stamp" evaluate "{\"datasetVersionId\": $task_ds, \"slmVersionId\": $slm_version_id}")"
[[ -n "${fft_version_id:-}" ]] && eval_fft="$(submit "demo-eval-full-$stamp" evaluate "{\"datasetVersionId\": $task_ds, \"slmVersionId\": $fft_version_id}")"
for run in "$eval_llm" "$eval_slm" ${eval_fft:-}; do watch "$run" evaluate; done
# The numbers as the registry now holds them (evaluation_metrics.evaluations[<dataset version>] of each version).
curl -fsS -H "Authorization: Bearer $KEY" "$SERVER/api/v1/base-models/demo-llm/versions" >"$work/llm.json"
slmops versions demo-fortunes --json >"$work/slm.json"
if [[ -n "${fft_version_id:-}" ]]; then slmops versions demo-fortunes-full --json >"$work/full.json"; else echo '[]' >"$work/full.json"; fi
python3 "$REPO_ROOT/deploy/lib/demo_table.py" "$task_ds" \
    "LLM alone" "$work/llm.json" "$llm_version_id" "$eval_llm" \
    "LLM + SLM" "$work/slm.json" "$slm_version_id" "$eval_slm" \
    ${fft_version_id:+"full fine-tune" "$work/full.json" "$fft_version_id" "$eval_fft"} \
    || fail "the evaluations are not in the registry as expected (message above)"

say "5/5 promoting demo-fortunes v$version to production and generating"
if ! slmops promote demo-fortunes production "$version"; then
    say "the promotion gate refused v$version (reason above: the holder of production scores better or was scored on another dataset); forcing it for the demo"
    slmops promote demo-fortunes production "$version" --force --reason "deploy/demo.sh run $stamp"
fi
slmops generate demo-fortunes@production "The " --max-tokens 120 --temperature 0.8 --top-k 20 --seed 7 --compare

say "done: open $SERVER/ (sign in with the key in $STATE_DIR/admin-key) to see the runs, their curves and the registry"
