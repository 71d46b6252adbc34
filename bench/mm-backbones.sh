#!/usr/bin/env bash
# Multimodal backbones (VBPR, LATTICE, FREEDOM) and LightGCN on amazon-scientific (image + text CLIP-space
# features) and lastfm-2k (all-MiniLM text + whisper audio in MMRec's image slot), seeds 999 1000 1001,
# MMRec defaults (FREEDOM dropout 0.8 reg 0; LATTICE reg 1e-4 lr 1e-3; VBPR/LightGCN reg 1e-4).
# Usage: bench/mm-backbones.sh [OUT_DIR]   (default /tmp/runs); prints a summary with bench/mm-summary.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-/tmp/runs}"
DATA="$ROOT/../shared/data"
LFM_FEATS="$OUT/lfm-feats"   # ItemFeatures names modalities by file stem: text_feat.npy, audio_feat.npy
mkdir -p "$OUT" "$LFM_FEATS"
ln -sf "$DATA/lastfm-2k/all-MiniLM-L6-v2.npy" "$LFM_FEATS/text_feat.npy"
ln -sf "$DATA/lastfm-2k/whisper.npy" "$LFM_FEATS/audio_feat.npy"
run() { # name model inter features seed extra...
  local name=$1 m=$2 inter=$3 feats=$4 seed=$5; shift 5
  [ -f "$OUT/$name/run.json" ] && return 0  # finished runs are not redone
  rm -rf "$OUT/$name"
  "$ROOT/cliprec" train --model "$m" --data "$inter" --format mmrec --features "$feats" --seed "$seed" \
    --out "$OUT/$name" --quiet --set graph_cache_dir="$OUT/graph-cache" "$@" > "$OUT/$name.log" 2>&1
}
for s in 999 1000 1001; do
  for m in freedom lattice vbpr lightgcn; do
    run "sci-$m-$s" $m "$DATA/amazon-scientific/scientific.inter" "$DATA/amazon-scientific" $s
    run "lfm-$m-$s" $m "$DATA/lastfm-2k/lfm2k.inter" "$LFM_FEATS" $s --set image_modality=audio
  done
done
python3 "$ROOT/bench/mm-summary.py" "$OUT"
