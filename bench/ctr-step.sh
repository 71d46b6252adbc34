#!/usr/bin/env bash
# Builds the bench module and runs CtrStepBench (xDeepFM at CPMM's CTR sizes, one PyTorch thread): one
# 512-row training batch in passes of 512, 256 or the automatic micro-batch (91 rows), and prediction of
# 4,096 pairs. Results: bench/results/ctr-step.json (JMH JSON); prints ms per batch and the ratios against
# the single 512-row pass measured in the same run. Extra arguments go to JMH. Whole run ~2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/jmh-run.sh CtrStepBench ctr-step -f 1 -wi 2 -i 4 -w 3s -r 4s "$@"
OUT=bench/results/ctr-step.json
# one "benchmark" line, its "micro" param, then its primaryMetric "score"
awk '
  /"benchmark"/ { split($0, a, "\""); n = a[4]; sub(/.*\./, "", n) }
  /"micro"/ { split($0, m, "\""); p = m[4] }
  /"score"/ && n != "" { split($0, b, ":"); gsub(/[ ,]/, "", b[2]); k = n "/" p; s[k] = b[2] + 0; n = "" }
  END {
    for (k in s) printf "%-18s %8.1f ms/op\n", k, s[k];
    if (s["trainBatch/512"] > 0) {
      printf "train batch, micro 256 / one 512-row pass = %.2f\n", s["trainBatch/256"] / s["trainBatch/512"];
      printf "train batch, automatic (91) / one 512-row pass = %.2f\n", s["trainBatch/0"] / s["trainBatch/512"];
    }
  }' "$OUT"
