#!/usr/bin/env bash
# Reproduces a real feature file: encodes ../shared/data/lastfm-2k/lfm2k_text.tsv with the bundled
# all-MiniLM-L6-v2 (our ONNX Runtime path) and compares row by row with all-MiniLM-L6-v2.npy, which
# sentence-transformers made from the same text (rows joined through lfm2k.inter / lfm2k_og_ids.inter).
# Prints mean / 1st-percentile / min cosine and throughput. Usage: bench/lastfm-minilm.sh [limit] [batch]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${CLIPREC_DATA:-$ROOT/../shared/data}/lastfm-2k"
if [ ! -d "$DATA" ]; then
  echo "bench/lastfm-minilm.sh: skipped: $DATA is absent"
  exit 0
fi
"$ROOT/cliprec" --version >/dev/null   # builds on first use
exec java --add-modules jdk.incubator.vector -Dai.djl.offline=true \
  -cp "$ROOT/cli/target/classes:$(cat "$ROOT/cli/target/classpath.txt")" \
  io.cliprec.encode.tools.LastfmMiniLmCheck "$DATA" "${1:-0}" "${2:-32}"
