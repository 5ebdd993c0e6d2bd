#!/usr/bin/env bash
# Build full mmcv 2.0.1 (compiled CPU ops) into the given venv, replacing mmcv-lite.
# Called by `CLIP4STR_FULL_MMCV=1 tools/setup.sh`. About an hour on 2 cores the first time; the
# wheel is cached in ~/.cache/clip4str/wheels and reinstalled from there afterwards.
set -euo pipefail
VENV="$1"
CACHE="${CLIP4STR_CACHE:-$HOME/.cache/clip4str}/wheels"
mkdir -p "$CACHE"
PY="$VENV/bin/python"
wheel=$(ls "$CACHE"/mmcv-2.0.1-*.whl 2>/dev/null | head -n1 || true)
if [ -z "$wheel" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$PY" -m pip download -q --no-deps --no-binary=:all: "mmcv==2.0.1" -d "$work"
  tar -xzf "$work"/mmcv-2.0.1.tar.gz -C "$work"
  # torch 2.13 headers need C++17; mmcv 2.0.1's setup.py asks for C++14
  sed -i 's/-std=c++14/-std=c++17/g' "$work/mmcv-2.0.1/setup.py"
  echo "[build_full_mmcv] compiling mmcv 2.0.1 CPU ops (long)..." >&2
  (cd "$work/mmcv-2.0.1" && MMCV_WITH_OPS=1 MAX_JOBS="$(nproc)" FORCE_CUDA=0 \
     "$PY" -m pip wheel -q --no-deps --no-build-isolation . -w "$CACHE")
  wheel=$(ls "$CACHE"/mmcv-2.0.1-*.whl | head -n1)
fi
"$PY" -m pip uninstall -q -y mmcv-lite || true
"$PY" -m pip install -q --no-deps --force-reinstall "$wheel"
"$PY" -c "import mmcv.ops, torch; mmcv.ops.nms(torch.rand(3, 4), torch.rand(3), 0.5); print('full mmcv ok')"
