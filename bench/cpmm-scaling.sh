#!/usr/bin/env bash
# CPMM pre-training cost at Beauty's item count with random features (the scaling check of issue 5):
# random N(0,1) 512-d `image` and `text` tables for the 12,101 items of Beauty.s3rec.txt (seeded, numpy),
# then `cliprec pretrain cpmm` for EPOCHS epochs (default 10) with the default settings (dim 128, batch 128,
# ID view = image + text). Prints seconds per epoch (from run.json) and peak RSS; OUT/cpmm/run.json has both.
#   bench/cpmm-scaling.sh OUT            (EPOCHS=N to change the epoch count)
set -euo pipefail
OUT=${1:?usage: bench/cpmm-scaling.sh OUT}
EPOCHS=${EPOCHS:-10}
cd "$(dirname "$0")/.."
D=../shared/data/amazon-beauty/Beauty.s3rec.txt
[ -f "$D" ] || { echo "cpmm-scaling: $D not found (needs ../shared/data)" >&2; exit 2; }
mkdir -p "$OUT/feat"
python3 - "$OUT/feat" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(42)
for name in ("image", "text"):
    np.save(f"{sys.argv[1]}/{name}_feat.npy", rng.standard_normal((12101, 512), dtype=np.float32))
PY
rm -rf "$OUT/cpmm"
/usr/bin/time -f "peak RSS %M KB, wall %e s" ./cliprec pretrain cpmm --data "$D" --format seq \
  --features "$OUT/feat" --seed 42 --set epochs="$EPOCHS" --out "$OUT/cpmm" 2>&1 | grep -v "^WARNING"
python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['timing']; print('seconds per epoch', round(t['seconds_per_epoch'], 2), 'peak RSS MiB', round(t.get('peak_rss_mib', 0)))" "$OUT/cpmm/run.json"
