#!/usr/bin/env bash
# Builds the bench module and runs EvalKernelBench (Amazon Baby shapes: 19,445 x 64 users, 7,050 x 64
# items, K = 50). Results: bench/results/eval-kernel.json (JMH JSON); prints fused / bare ratios.
# Extra arguments go to JMH (e.g. -p threads=1). Whole run < 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/jmh-run.sh EvalKernelBench eval-kernel -f 1 -wi 2 -i 3 -w 3s -r 3s "$@"
OUT=bench/results/eval-kernel.json
# ratios from the JMH JSON (one "benchmark" line, then its primaryMetric "score")
awk '
  /"benchmark"/ { split($0, a, "\""); n = a[4]; sub(/.*\./, "", n); want = 1 }
  /"score"/ && want { split($0, b, ":"); gsub(/[ ,]/, "", b[2]); s[n] = b[2] + 0; want = 0 }
  END {
    for (k in s) printf "%-12s %10.1f ms/op\n", k, s[k];
    if (s["bareProduct"] > 0) {
      printf "fused top-K / bare Java product = %.2f\n", s["fusedTopK"] / s["bareProduct"];
      printf "full evaluate / bare Java product = %.2f\n", s["evaluate"] / s["bareProduct"];
    }
    if (s["djlMatMul"] > 0) printf "fused top-K / DJL PyTorch matMul = %.2f\n", s["fusedTopK"] / s["djlMatMul"];
  }' "$OUT"
