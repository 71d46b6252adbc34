#!/usr/bin/env bash
# End-to-end benchmark: BPR and LightGCN on Amazon Baby (LATTICE split, ../shared/data/amazon-baby/baby.inter)
# with MMRec defaults and seed 999, early stopping on valid Recall@20. Finished runs are kept and skipped;
# a killed run resumes from its checkpoint. Results: bench/results/baby.json and baby.md.
# Usage: bench/baby.sh [model ...]   (default: bpr lightgcn)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${CLIPREC_DATA:-$ROOT/../shared/data}/amazon-baby/baby.inter"
if [ ! -f "$DATA" ]; then
  echo "bench/baby.sh: skipped: $DATA is absent (needs ../shared/data beside the repository)"
  exit 0
fi
OUT="${CLIPREC_BENCH_OUT:-$ROOT/runs/bench-baby}"
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(bpr lightgcn)
for m in "${MODELS[@]}"; do
  dir="$OUT/$m-seed999"
  if [ -f "$dir/run.json" ]; then
    echo "== $m: already done ($dir/run.json)"
    continue
  fi
  resume=()
  [ -d "$dir/checkpoint" ] && resume=(--resume)
  echo "== $m"
  "$ROOT/cliprec" train --model "$m" --data "$DATA" --format mmrec --seed 999 --out "$dir" "${resume[@]}"
done
"$ROOT/cliprec" report "$OUT" --metrics Recall@10,Recall@20,NDCG@10,NDCG@20 \
  --json "$ROOT/bench/results/baby.json" --markdown "$ROOT/bench/results/baby.md"
