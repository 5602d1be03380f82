#!/usr/bin/env python3
"""The demo's closing table: each model's validation loss and perplexity on the task, read back from the registry.

demo_table.py DATASET_VERSION_ID  LABEL VERSIONS.json VERSION_ID EVALUATE_RUN_ID  [LABEL VERSIONS.json VERSION_ID RUN_ID ...]

The first model is the baseline (the LLM alone), the second the one being judged (the LLM + SLM), an optional third
the reference (a full fine-tune): the share of the gap from baseline to reference that the second closes is printed.
Each VERSIONS.json is a registry version list (GET .../versions); the entry read is
evaluation_metrics.evaluations[DATASET_VERSION_ID], which must name the given evaluate run: exit 1 otherwise.
"""
import json
import math
import sys


def versions(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data.get("versions", data) if isinstance(data, dict) else data


def row(dataset, label, path, version_id, run_id):
    version = next((v for v in versions(path) if v["id"] == int(version_id)), None)
    if version is None:
        sys.exit(f"version id {version_id} is not in {path}")
    metrics = version.get("evaluationMetrics", version.get("evaluation")) or {}
    entry = (metrics.get("evaluations") or {}).get(str(dataset))
    if entry is None:
        sys.exit(f"{label}: the registry holds no evaluation on dataset version {dataset} for version id {version_id}")
    if entry.get("run_id") != run_id:
        sys.exit(f"{label}: the registry's evaluation on dataset version {dataset} is from run {entry.get('run_id')}, not {run_id}")
    name = f"{version['baseModel']} v{version['version']}" if "baseModel" in version and isinstance(version["baseModel"], str) \
        else f"{version['task']} v{version['version']}"
    loss = float(entry["val_loss"])
    return {"label": f"{label} ({name})", "loss": loss, "ppl": math.exp(loss), "params": version.get("parameterCount"), "run": run_id}


def main(argv):
    dataset, rest = argv[1], argv[2:]
    if len(rest) < 8 or len(rest) % 4:
        sys.exit(__doc__)
    rows = [row(dataset, *rest[i:i + 4]) for i in range(0, len(rest), 4)]
    rows[0]["trained"] = 0  # the LLM is frozen: nothing of it is trained for the task
    for r in rows[1:]:
        r["trained"] = r["params"]
    width = max(len(r["label"]) for r in rows)
    header = f"| {'model':<{width}} | val loss | perplexity | trained parameters | evaluate run |"
    print()
    print(f"Task validation split (dataset version {dataset}), from evaluate runs, as recorded in the registry:")
    print()
    print(header)
    print(f"|{'-' * (width + 2)}|---------:|-----------:|-------------------:|--------------|")
    for r in rows:
        trained = f"{r['trained']:,}" if r["trained"] is not None else "n/a"
        print(f"| {r['label']:<{width}} | {r['loss']:8.4f} | {r['ppl']:10.2f} | {trained:>18} | {r['run'][:8]:<12} |")
    print()
    base, slm = rows[0], rows[1]
    if len(rows) > 2:
        full = rows[2]
        gap = base["loss"] - full["loss"]
        if gap > 0:
            print(f"The SLM closes {100 * (base['loss'] - slm['loss']) / gap:.1f}% of the gap in validation loss between the LLM alone "
                  f"and a full fine-tune ({base['loss']:.4f} -> {full['loss']:.4f}), leaving the LLM's weights untouched.")
        else:
            print("The full fine-tune did not beat the LLM alone on this split, so there is no gap to close.")
    else:
        print(f"The SLM lowers the validation loss by {base['loss'] - slm['loss']:.4f} "
              f"(perplexity {base['ppl']:.2f} -> {slm['ppl']:.2f}); no full fine-tune was run to compare against.")
    print()


if __name__ == "__main__":
    main(sys.argv)
