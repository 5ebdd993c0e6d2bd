#!/usr/bin/env bash
# What the device machine runs (docs/device.md):  bash tools/device/on_device.sh RUN BUDGET_S
# Installs the carried wheels (.device/wheels, no index, no deps: the image has the rest), then
# trains RUN for BUDGET_S seconds; snapshots in parts and the log land in $OUT.
# KIT / SITE / PYTHON / OUT can be overridden (the CPU rehearsal does).
set -uo pipefail
run=${1:?run name (recog)}; budget=${2:?training seconds}; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
kit=${KIT:-$root/.device}; site=${SITE:-/tmp/site}; py=${PYTHON:-python3}
out=${OUT:?set OUT (the tool sets it on the device)}
export PYTHONUNBUFFERED=1
mkdir -p "$out"
wheels=${WHEELS:-$kit/wheels}  # WHEELS=none: use the interpreter's packages (the CPU dry run)
t0=$EPOCHREALTIME
if [ "$wheels" != none ]; then
  "$py" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target "$site" "$wheels"/*.whl || exit 3
  echo "installed $(ls "$wheels" | wc -l) wheels in $(awk "BEGIN{printf \"%.1f\", $EPOCHREALTIME - $t0}") s"
fi
# wordfreq's 57 MB wheel stays home: a stub serves its two calls from .device/wordfreq_en.tsv
export PYTHONPATH="$site:$root/plugins:$root/tools/device/stubs${PYTHONPATH:+:$PYTHONPATH}"
export CLIP4STR_WORDFREQ_TSV=$kit/wordfreq_en.tsv
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
"$py" "$root/tools/device/train.py" "$run" --budget-s "$budget" --out "$out" --kit "$kit" "$@" \
  2>&1 | tee "$out/$run-train.log"
rc=${PIPESTATUS[0]}
echo "on_device.sh: train.py exit $rc after $(awk "BEGIN{printf \"%.0f\", $EPOCHREALTIME - $t0}") s"
ls -la "$out"
exit "$rc"
