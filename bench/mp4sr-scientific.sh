#!/usr/bin/env bash
# MP4SR table on amazon-scientific (leave-one-out, full ranking, history masked): SASRec (ID), SASRec +
# CPMM features, MP4SR without pre-training, MP4SR pre-trained; seeds 42 43 44; one run at a time,
# resumable (a step whose run.json exists is skipped; killed MP4SR runs continue from their checkpoint).
# Summary: python3 bench/mp4sr-summary.py OUT.
# Env: CLIPREC (launcher, default ./cliprec), OUT (default /work/bench-runs/mp4sr), SEEDS, FT_EPOCHS / FT_STOP (MP4SR fine-tuning cap, default 15 / 5),
# PT_EPOCHS / PT_STOP (pre-training, default 6 / 3): caps chosen for a loaded 2-core machine; set e.g.
# FT_EPOCHS=300 FT_STOP=20 PT_EPOCHS=300 PT_STOP=20 for the reference's schedule.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
C="${CLIPREC:-$ROOT/cliprec}"
D="${DATA_DIR:-$ROOT/../shared/data/amazon-scientific}"
R="${OUT:-/work/bench-runs/mp4sr}"
mkdir -p "$R"
DATA="--data $D/scientific.inter --protocol LEAVE_ONE_OUT"
export CLIPREC_JAVA_OPTS="${CLIPREC_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
MP="--set length_bucketing=4 --set epochs=${FT_EPOCHS:-15} --set stopping_step=${FT_STOP:-5}"
SR="--set epochs=100 --set stopping_step=10"
step() { # name, command...
  local name=$1; shift
  if [ -f "$R/$name/run.json" ]; then echo "skip $name"; return; fi
  echo "=== $name $(date -u +%T)"; /usr/bin/time -v "$@" > "$R/$name.out" 2> "$R/$name.err"
  echo "    rc=$? $(date -u +%T) $(grep -h 'Maximum resident' "$R/$name.err")"
}
[ -f "$R/cpmm-sci/features.json" ] || nice -n 5 "$C" pretrain cpmm --data "$D/scientific.inter" --features "$D" \
  --out "$R/cpmm-sci" --seed 42 > "$R/cpmm-sci.out" 2>&1
for s in ${SEEDS:-42 43 44}; do
  step mp4sr-nopre-$s nice -n 5 "$C" train --model mp4sr $DATA --features "$D" $MP --seed $s --out "$R/mp4sr-nopre-$s" --quiet --resume
  step pre-$s nice -n 5 "$C" pretrain mp4sr $DATA --features "$D" --set length_bucketing=4 --set epochs=${PT_EPOCHS:-6} \
    --set stopping_step=${PT_STOP:-3} --seed $s --out "$R/pre-$s" --resume
  step mp4sr-pre-$s nice -n 5 "$C" train --model mp4sr $DATA --features "$D" --pretrained "$R/pre-$s" $MP --seed $s \
    --out "$R/mp4sr-pre-$s" --quiet --resume
  step sasrec-cpmm-$s nice -n 5 "$C" train --model sasrec $DATA --features "$R/cpmm-sci" --set 'plugin=[image,text]' \
    --set hidden_size=128 $SR --seed $s --out "$R/sasrec-cpmm-$s" --quiet
  step sasrec-$s nice -n 5 "$C" train --model sasrec $DATA $SR --seed $s --out "$R/sasrec-$s" --quiet
done
echo "all done $(date -u +%T)"
