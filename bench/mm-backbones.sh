#!/usr/bin/env bash
# Multimodal backbones (VBPR, LATTICE, FREEDOM) with BPR and LightGCN on amazon-scientific (image + text
# CLIP-space features) and lastfm-2k (all-MiniLM text + whisper audio in MMRec's image slot), seeds 999
# 1000 1001, MMRec defaults: two `cliprec experiment` grids (bench/experiments/mm-{scientific,lastfm}.yaml).
# Usage: bench/mm-backbones.sh [OUT_DIR]   (default /tmp/mm-backbones). Resumable: finished runs are kept.
# Each OUT_DIR/<data>/results.{md,csv,json} holds mean ± std over seeds and train seconds per epoch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-/tmp/mm-backbones}"
for d in scientific lastfm; do
  "$ROOT/cliprec" experiment --config "$ROOT/bench/experiments/mm-$d.yaml" --out "$OUT/$d"
done
