#!/usr/bin/env bash
# Build (or refresh) the project's virtual environment from nothing, CPU only.
#
#   tools/setup.sh            # .venv with mmcv-lite (DBNet/PANet/PSENet + all recognizers work)
#   CLIP4STR_FULL_MMCV=1 tools/setup.sh   # also compile full mmcv 2.0.1 with CPU ops (DCN, nms;
#                                         # ~1 h on 2 cores; the wheel is cached in ~/.cache/clip4str)
#   CLIP4STR_VENV=/path tools/setup.sh    # another location
#
# Idempotent: a stamp records a hash of the requirement files and this script; when nothing
# changed, a rerun only checks that the package imports (a few seconds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CLIP4STR_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"
REQ="$ROOT/requirements"
export PIP_CONSTRAINT="$REQ/constraints.txt"
export PIP_DISABLE_PIP_VERSION_CHECK=1
START=$(date +%s)

log() { printf '[setup] %s\n' "$*" >&2; }

# ---- Debian packages (only what is missing; needs root or sudo) -------------------------------
need=()   # required: PDF input and opencv-python's shared libraries
command -v pdftoppm >/dev/null || need+=(poppler-utils)
dpkg -s libgl1 >/dev/null 2>&1 || need+=(libgl1)
dpkg -s libglib2.0-0 >/dev/null 2>&1 || need+=(libglib2.0-0)
want_pkgs=()  # optional: Tesseract (benchmark comparison) and fonts for the synthetic renderer
command -v tesseract >/dev/null || want_pkgs+=(tesseract-ocr)
# English word list for the synthetic pages' text (clip4str.datasets.synth_pages)
[ -f /usr/share/dict/words ] || want_pkgs+=(wamerican)
for p in fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf fonts-urw-base35 \
         fonts-noto-core fonts-crosextra-carlito fonts-crosextra-caladea fonts-open-sans \
         fonts-roboto-unhinted fonts-cantarell fonts-linuxlibertine fonts-texgyre; do
  dpkg -s "$p" >/dev/null 2>&1 || want_pkgs+=("$p")
done
if [ $(( ${#need[@]} + ${#want_pkgs[@]} )) -gt 0 ] && [ "${CLIP4STR_SKIP_APT:-0}" != 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  apt_install() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
  log "installing Debian packages: ${need[*]} ${want_pkgs[*]}"
  $SUDO apt-get update -qq >/dev/null 2>&1 || log "WARNING: apt-get update failed"
  if [ ${#need[@]} -gt 0 ] && ! apt_install "${need[@]}"; then
    log "WARNING: could not install ${need[*]}: PDF input needs poppler-utils, OpenCV needs libgl1."
  fi
  if [ ${#want_pkgs[@]} -gt 0 ] && ! apt_install "${want_pkgs[@]}"; then
    for p in "${want_pkgs[@]}"; do apt_install "$p" || log "note: optional package $p unavailable"; done
  fi
fi

# ---- virtual environment -----------------------------------------------------------------------
STAMP="$VENV/.clip4str-setup-stamp"
want=$(cat "$REQ"/*.txt "$ROOT/setup.py" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)-full${CLIP4STR_FULL_MMCV:-0}
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  if "$VENV/bin/python" -c "import clip4str" 2>/dev/null; then
    log "environment up to date: $VENV ($(( $(date +%s) - START )) s)"
    exit 0
  fi
fi

[ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PY" -m venv "$VENV"; }
pip_install() {  # quiet pip; drops warnings about missing local mirror folders
  "$VENV/bin/python" -m pip install -q "$@" 2> >(grep -v "is neither a file nor a directory" >&2)
}
PIP=(pip_install)

# torch first and alone: with it in place, nothing else may pick another build
"${PIP[@]}" "torch==2.13.0"
# pip's own build tooling within the pins (mmengine's Config needs pkg_resources)
"${PIP[@]}" "setuptools>=77,<81" wheel
"${PIP[@]}" -r "$REQ/runtime.txt" -r "$REQ/tests.txt"

if [ "${CLIP4STR_FULL_MMCV:-0}" = 1 ]; then
  "$ROOT/tools/build_full_mmcv.sh" "$VENV"
fi

# the project itself, editable, without re-resolving dependencies
"${PIP[@]}" --no-deps --no-build-isolation -e "$ROOT"

# Compat import hook at interpreter start (cheap: imports nothing), so torchvision and mmcv-lite
# import in any order, e.g. `from mmocr.apis import MMOCRInferencer` before `import clip4str`.
SITE=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "import clip4str_compat; clip4str_compat.install_import_hook()" >"$SITE/clip4str_compat.pth"

"$VENV/bin/python" -c "import clip4str, mmocr.models, open_clip; print('clip4str', clip4str.__version__)"
echo "$want" >"$STAMP"
log "done in $(( $(date +%s) - START )) s; venv size $(du -sh "$VENV" | cut -f1)"
