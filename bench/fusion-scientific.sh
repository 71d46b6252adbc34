#!/usr/bin/env bash
# CLIPER text fusion as a trainable input layer (text_fusion fixed | mlp | attention) on amazon-scientific:
# 1. per-view MiniLM text: Scientific.text ("title. categories. brand.") split into title / categories /
#    brand views (+ CLIPER's global view), ASINs mapped to the .inter item index by Scientific.item2index;
# 2. VBPR and FREEDOM (reg_weight 1e-4 so FREEDOM's feature-projection loss, where the fusion acts, is on;
#    the same for the fixed row) with the 512-d image features + the MiniLM text, through cliprec experiment.
# Usage: bench/fusion-scientific.sh [OUT_DIR] [SEEDS]   (default /tmp/fusion-scientific, "999, 1000, 1001");
# env CLIPREC_DATA (default ../shared/data), CLIPREC (the cliprec launcher).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-/tmp/fusion-scientific}" && cd "${1:-/tmp/fusion-scientific}" && pwd)"
SEEDS="${2:-999, 1000, 1001}"
SCI="$(cd "${CLIPREC_DATA:-$ROOT/../shared/data}/amazon-scientific" && pwd)"
CLIPREC="${CLIPREC:-$ROOT/cliprec}"
if [ ! -f "$OUT/sci-views/text_views.npy" ]; then
  "$CLIPREC" encode --catalog "$SCI/Scientific.text" --text-fields text \
    --split-field text=title,categories,brand --id-map "$SCI/Scientific.item2index" --text-model minilm \
    --data "$SCI/scientific.inter" --data-format mmrec --out "$OUT/sci-views"
fi
cat > "$OUT/fusion.yaml" <<YAML
data: $SCI/scientific.inter
format: mmrec
seeds: [$SEEDS]
features:
  minilm-fixed: {files: {image: $SCI/image_feat.npy, text: $OUT/sci-views/text_feat.npy}}
  minilm-mlp: {files: {image: $SCI/image_feat.npy, text: $OUT/sci-views/text_feat.npy},
               set: {text_fusion: mlp}}
  minilm-attention: {files: {image: $SCI/image_feat.npy, text: $OUT/sci-views/text_feat.npy},
                     set: {text_fusion: attention}}
models:
  freedom: {features: [minilm-fixed, minilm-attention, minilm-mlp], set: {reg_weight: 1.0e-4}}
  vbpr: {features: [minilm-fixed, minilm-attention, minilm-mlp]}
YAML
"$CLIPREC" experiment --config "$OUT/fusion.yaml" --out "$OUT/runs"
