#!/usr/bin/env bash
# Builds the bench module and runs DenseBench (Dense.linear / linearBackward at a LightGCN raw-text plug-in's
# size on Beauty: 12,101 x 384 -> 128, two threads): forward, and the weight gradient tiled (64 rows) vs
# untiled. Results: bench/results/dense.json (JMH JSON); prints ms per call and the tiled / untiled ratio
# measured in the same run. Extra arguments go to JMH (e.g. -p threads=1). Whole run ~2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/jmh-run.sh DenseBench dense -f 1 -wi 2 -i 4 -w 2s -r 3s "$@"
OUT=bench/results/dense.json
# one "benchmark" line, its "rowTile" param, then its primaryMetric "score"
awk '
  /"benchmark"/ { split($0, a, "\""); n = a[4]; sub(/.*\./, "", n) }
  /"rowTile"/ { split($0, m, "\""); p = m[4] }
  /"score"/ && n != "" { split($0, b, ":"); gsub(/[ ,]/, "", b[2]); k = n "/" p; s[k] = b[2] + 0; n = "" }
  END {
    for (k in s) printf "%-20s %8.2f ms/op\n", k, s[k];
    if (s["backwardWeight/0"] > 0) {
      printf "weight gradient, tiled (64 rows) / untiled = %.3f\n", s["backwardWeight/64"] / s["backwardWeight/0"];
    }
  }' "$OUT"
