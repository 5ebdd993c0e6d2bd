#!/usr/bin/env bash
# The whole device sequence on this CPU, in one command (docs/device.md):
#   tools/device/rehearse.sh [STEPS]          (default 4 training steps)
# 1. a throwaway git repo holding this working tree (the real checkout is never touched);
# 2. tools/device/pack.py there: .device/ kit, weights/ out of the index, size check, run call;
# 3. the tree the device tool would send (tracked + untracked-not-ignored files + .device);
# 4. a fresh venv that sees only the device image's packages (image_view.py), the carried
#    wheels installed by on_device.sh with pip --no-index --no-deps (for this interpreter's
#    tag: the device gets the cp312 ones), and STEPS training steps (batch 8, 1 worker);
# 5. tools/device/collect.py: weights/ back in the index, reassemble, evaluate on LIMIT crops
#    per benchmark (default 50) against the shipped file.
# PYTHON (default: python on PATH) must have the project's stack; DATA: the shared data folder.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
py=${PYTHON:-python}
steps=${1:-4}
work=${WORK:-/tmp/devkit_rehearsal}
data=${DATA:-$(dirname "$src")/shared/data}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} PYTHONPATH=$src/plugins
rm -rf "$work" && mkdir -p "$work/repo" "$work/device"
step() { echo; echo "== $* ($(date +%T))"; }

step "1. throwaway repo with the working tree"
git -C "$src" ls-files -z -co --exclude-standard | tar -C "$src" --null -T - -cf - |
  tar -C "$work/repo" -xf -
(cd "$work/repo" && git init -q && git add -A &&
  git -c user.name=rehearsal -c user.email=rehearsal@localhost commit -qm rehearsal)
[ -d "$src/.device/wheels" ] && mkdir -p "$work/repo/.device" && cp -r "$src/.device/wheels" "$work/repo/.device/"

step "2. pack"
(cd "$work/repo" && PYTHONPATH=$work/repo/plugins "$py" tools/device/pack.py recog --data-root "$data")
git -C "$work/repo" ls-files 'weights/*.pth' | grep -q . && { echo "weights still in the index"; exit 1; }

step "3. what the device tool would send"
git -C "$work/repo" ls-files -z -co --exclude-standard | tar -C "$work/repo" --null -T - -cf - |
  tar -C "$work/device" -xf -
cp -r "$work/repo/.device" "$work/device/"
echo "sent: $(du -sb "$work/device" | cut -f1) bytes ($(du -sh "$work/device" | cut -f1))"

step "4. fresh venv + carried wheels + $steps training steps"
"$py" -m venv "$work/venv"
vpy=$work/venv/bin/python
"$py" "$src/tools/device/image_view.py" "$work/view"
echo "$work/view" > "$("$vpy" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/device_image.pth"
pyver=$("$vpy" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
PYVER=$pyver PIP="$py -m pip" bash -c "\"$src/tools/device/fetch_wheels.sh\" \"$work/wheels\"" |
  grep -v '^WARNING: Location' || true
(cd "$work/device" && env -u PYTHONPATH OUT="$work/out" KIT="$work/device/.device" SITE="$work/site" \
  PYTHON="$vpy" WHEELS="$work/wheels" \
  bash tools/device/on_device.sh recog 600 --max-iters "$steps" --batch-size 8 --workers 1 \
  --snapshot-every 30 --work-dir "$work/train") > "$work/device.log" 2>&1 ||
  { tail -30 "$work/device.log"; exit 1; }
grep -E 'installed|Iter\(train\)|snapshot|exit' "$work/device.log" | cut -c1-220
ls -la "$work/out"

step "5. collect: reassemble + evaluate"
(cd "$work/repo" && CLIP4STR_DATA_ROOT=$data PYTHONPATH=$work/repo/plugins "$py" \
  tools/device/collect.py recog "$work/out" --limit "${LIMIT:-50}" --work-dir "$work/collect") \
  > "$work/collect.log" 2>&1 || { tail -30 "$work/collect.log"; exit 1; }
grep -vE 'libpng warning| - mmengine - |^\s*$|Hook|^ ---|^[a-z_]+:$|^\(' "$work/collect.log" | tail -20
git -C "$work/repo" ls-files 'weights/*.pth' | grep -q . || { echo "weights not restored"; exit 1; }
echo "rehearsal done: $work"
