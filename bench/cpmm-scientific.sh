#!/usr/bin/env bash
# CPMM on Amazon Scientific, the paper's central table: LightGCN and SASRec with ID only, raw CLIP-space
# features (512-d image + text, trainable projection) and CPMM features, plus SASRec on CPMM features
# pre-trained without each loss term (ablation). CPMM's CF / SR settings; seeds 42 43 44 (SEEDS="..."),
# CPMM pre-training seed 42. xDeepFM/DeepFM: bench/experiments/ctr-scientific.yaml.
#   bench/cpmm-scientific.sh OUT      -> OUT/cpmm-*/ (features), OUT/exp/results.{csv,json,md}
# Resumable: finished pre-trainings and runs are skipped. About 2 CPU-hours on 2 cores.
set -euo pipefail
OUT=${1:?usage: bench/cpmm-scientific.sh OUT}
SEEDS=${SEEDS:-42 43 44}
cd "$(dirname "$0")/.."
D=$(cd ../shared/data/amazon-scientific && pwd)
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
pre() { # pre NAME [--set k=v]
  local name=$1; shift
  [ -f "$OUT/$name/features.json" ] && return 0
  ./cliprec pretrain cpmm --data "$D/scientific.inter" --features "$D" --seed 42 "$@" --out "$OUT/$name"
}
pre cpmm
pre cpmm-no-contrastive --set contrastive=false
pre cpmm-no-modality_gap --set modality_gap=false
pre cpmm-no-co_interaction --set co_interaction=false
CF='embedding_size: 128, reg_weight: 1.0e-5, train_batch_size: 1024, stopping_step: 30, valid_metric: NDCG@20'
SR='hidden_size: 128, inner_size: 512, hidden_dropout_prob: 0.5, attn_dropout_prob: 0.5, loss_type: CE, length_bucketing: 8'
CPMM='set: {plugin: [image, text], plugin_id: true}'
cat > "$OUT/cpmm-scientific.yaml" <<YAML
# written by bench/cpmm-scientific.sh
data: $D/scientific.inter
format: mmrec
out: $OUT/exp
seeds: [$(echo $SEEDS | sed 's/ /, /g')]
metrics: [Recall@10, NDCG@10, Recall@20, NDCG@20]
select: NDCG@20
features:
  raw: {path: $D, set: {plugin: [image, text]}}
  cpmm: {path: $OUT/cpmm, $CPMM}
  cpmm-no-contrastive: {path: $OUT/cpmm-no-contrastive, $CPMM}
  cpmm-no-modality_gap: {path: $OUT/cpmm-no-modality_gap, $CPMM}
  cpmm-no-co_interaction: {path: $OUT/cpmm-no-co_interaction, $CPMM}
models:
  lightgcn: {features: [none, raw, cpmm], set: {$CF}}
  sasrec: {features: [none, raw, cpmm, cpmm-no-contrastive, cpmm-no-modality_gap, cpmm-no-co_interaction], set: {$SR}}
YAML
./cliprec experiment --config "$OUT/cpmm-scientific.yaml" ${DRY_RUN:+--dry-run}
