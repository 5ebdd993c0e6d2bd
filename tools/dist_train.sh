#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG NPROC [train.py args...]   (torchrun, one node)
# On CPU the gloo backend is used (set env_cfg.dist_cfg.backend=gloo, as the configs do).
CONFIG=$1
NPROC=$2
shift 2
PORT=${PORT:-29500}
PY="${PYTHON:-$(dirname "$0")/../.venv/bin/python}"
exec "$PY" -m torch.distributed.run --nnodes=1 --nproc_per_node="$NPROC" \
  --master_port="$PORT" "$(dirname "$0")/train.py" "$CONFIG" --launcher pytorch "$@"
