#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args...]   (torchrun, one node)
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
shift 3
PORT=${PORT:-29500}
PY="${PYTHON:-$(dirname "$0")/../.venv/bin/python}"
exec "$PY" -m torch.distributed.run --nnodes=1 --nproc_per_node="$NPROC" \
  --master_port="$PORT" "$(dirname "$0")/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
