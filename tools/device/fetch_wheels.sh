#!/usr/bin/env bash
# Download the wheels of tools/device/wheels.txt for the device's Python (3.12, x86-64) into
# .device/wheels (ignored by git; it travels as a `carry` path). Idempotent: pip skips wheels
# that are already there.  PYVER=3.11 fetches the same pins for another interpreter (the CPU
# rehearsal here), into .device/wheels-cp311.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pyver=${PYVER:-3.12}
tag=cp${pyver/./}
dest=${1:-$root/.device/wheels}
[ "$pyver" = 3.12 ] || dest=${1:-$root/.device/wheels-$tag}
mkdir -p "$dest"
pip=${PIP:-pip}  # may be "python -m pip"
grep -v '^\s*#' "$root/tools/device/wheels.txt" | grep -v '^\s*$' |
  PIP_CONSTRAINT= $pip download --quiet --no-deps --only-binary=:all: \
    --python-version "$pyver" --implementation cp --abi "$tag" --abi abi3 --abi none \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux1_x86_64 --platform any -d "$dest" -r /dev/stdin
du -sh "$dest"
