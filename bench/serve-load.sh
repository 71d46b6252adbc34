#!/usr/bin/env bash
# Load test of `cliprec serve` with wrk on loopback:
#   random, baby_lightgcn: GET /v1/users/{random id}/recommendations?k=20 (exclude_seen=true) against
#     1. a bundle of random factors with >= 100,000 items (RandomBundle; 10,000 users, d = 64), and
#     2. the Amazon Baby LightGCN bundle (a short LightGCN run on ../shared/data/amazon-baby is trained
#        first when missing; skipped when the data is absent);
#   beauty_sasrec_sessions: POST /v1/sessions/recommendations {"items": [...], "k": 20} against a SASRec
#     bundle of Amazon Beauty (Beauty.s3rec.txt, S3-Rec defaults: 2 layers, 2 heads, d = 64, max length 50;
#     a short run is trained first when missing; serving speed does not depend on its quality). Session
#     bodies are the users' real sequences (their last <= 50 items, in order), drawn at random, so each
#     request runs the pure-Java SASRec forward pass plus a top-k over all 12,101 items.
# For each: server start, a 10 s warm-up, RSS, a timed wrk run (requests/s, p50/p90/p99, errors), RSS again,
# then SIGTERM (graceful stop) and its exit time. Results: bench/results/serve-load.json (runs not selected
# by SERVE_LOAD_RUNS keep their previous entry).
# Only loopback traffic; every run is bounded by its duration.
# Environment: SERVE_LOAD_DURATION (s, default 60), SERVE_LOAD_CONNECTIONS (8), SERVE_LOAD_WRK_THREADS (2),
#   SERVE_LOAD_ITEMS (100000), SERVE_LOAD_USERS (10000), SERVE_LOAD_BABY_EPOCHS (3),
#   SERVE_LOAD_SASREC_EPOCHS (2), SERVE_LOAD_RUNS (random,baby,sessions),
#   SERVE_LOAD_WORK (runs/serve-load), SERVE_LOAD_XMX (2g), SERVE_LOAD_SKIP_BABY=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${SERVE_LOAD_DURATION:-60}"
CONNS="${SERVE_LOAD_CONNECTIONS:-8}"
WRK_THREADS="${SERVE_LOAD_WRK_THREADS:-2}"
ITEMS="${SERVE_LOAD_ITEMS:-100000}"
USERS="${SERVE_LOAD_USERS:-10000}"
BABY_EPOCHS="${SERVE_LOAD_BABY_EPOCHS:-3}"
WORK="${SERVE_LOAD_WORK:-$ROOT/runs/serve-load}"
XMX="${SERVE_LOAD_XMX:-1g}"
OUT_JSON="$ROOT/bench/results/serve-load.json"
BABY_DATA="${CLIPREC_DATA:-$ROOT/../shared/data}/amazon-baby/baby.inter"
BEAUTY_DATA="${CLIPREC_DATA:-$ROOT/../shared/data}/amazon-beauty/Beauty.s3rec.txt"
SASREC_EPOCHS="${SERVE_LOAD_SASREC_EPOCHS:-2}"
RUNS=",${SERVE_LOAD_RUNS:-random,baby,sessions},"
want() { [[ "$RUNS" == *",$1,"* ]]; }
mkdir -p "$WORK" "$ROOT/bench/results"

# 1. the load generator (Debian's wrk)
if ! command -v wrk >/dev/null; then
  echo "== installing wrk" >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

# 2. build (as ./cliprec does) and the runtime classpath
echo "== building" >&2
(cd "$ROOT" && mvn -B -q -o -DskipTests package -pl cli -am)
CP="$ROOT/cli/target/classes:$(cat "$ROOT/cli/target/classpath.txt")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JFLAGS=(--add-modules jdk.incubator.vector -Dai.djl.offline=true -XX:+UseParallelGC "-Xmx$XMX")
# the server's heap is committed and touched up front, so RSS growth during the run means native growth;
# the live heap after a full GC (jcmd) before and after the run shows heap growth
SERVER_FLAGS=(--add-modules jdk.incubator.vector -XX:+UseParallelGC "-Xms$XMX" "-Xmx$XMX" -XX:+AlwaysPreTouch)

quiet() { grep -v 'incubator' >&2 || true; }

# 3. bundles
RANDOM_BUNDLE="$WORK/random-${ITEMS}-bundle"
if want random && [ ! -f "$RANDOM_BUNDLE/manifest.json" ]; then
  echo "== random bundle: $USERS users x $ITEMS items, d=64" >&2
  "$JAVA" "${JFLAGS[@]}" -cp "$CP" io.cliprec.serve.bundle.RandomBundle "$RANDOM_BUNDLE" "$USERS" "$ITEMS" 64 20 1 2>&1 | quiet
fi
BABY_BUNDLE=""
if want baby && [ "${SERVE_LOAD_SKIP_BABY:-0}" != 1 ] && [ -f "$BABY_DATA" ]; then
  BABY_RUN="$WORK/baby-lightgcn-e${BABY_EPOCHS}-run"
  BABY_BUNDLE="$WORK/baby-lightgcn-e${BABY_EPOCHS}-bundle"
  if [ ! -f "$BABY_RUN/run.json" ]; then
    echo "== training LightGCN on Amazon Baby for $BABY_EPOCHS epochs (serving speed does not depend on it)" >&2
    "$JAVA" "${JFLAGS[@]}" -cp "$CP" io.cliprec.cli.Main train --model lightgcn --data "$BABY_DATA" \
      --format mmrec --seed 999 --set "epochs=$BABY_EPOCHS" --out "$BABY_RUN" --quiet 2>&1 | quiet
  fi
  if [ ! -f "$BABY_BUNDLE/manifest.json" ]; then
    "$JAVA" "${JFLAGS[@]}" -cp "$CP" io.cliprec.cli.Main bundle --run "$BABY_RUN" --out "$BABY_BUNDLE" 2>&1 | quiet
  fi
elif want baby; then
  echo "== Amazon Baby bundle skipped ($BABY_DATA absent or SERVE_LOAD_SKIP_BABY=1)" >&2
fi
SASREC_BUNDLE=""
SESSIONS_FILE="$WORK/beauty-sessions.txt"
if want sessions && [ -f "$BEAUTY_DATA" ]; then
  SASREC_RUN="$WORK/beauty-sasrec-e${SASREC_EPOCHS}-run"
  SASREC_BUNDLE="$WORK/beauty-sasrec-e${SASREC_EPOCHS}-bundle"
  if [ ! -f "$SASREC_RUN/run.json" ]; then
    echo "== training SASRec on Amazon Beauty for $SASREC_EPOCHS epochs (serving speed does not depend on it)" >&2
    "$JAVA" "${JFLAGS[@]}" -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -cp "$CP" \
      io.cliprec.cli.Main train --model sasrec --data "$BEAUTY_DATA" --format seq --seed 42 \
      --set "epochs=$SASREC_EPOCHS" --set length_bucketing=8 --out "$SASREC_RUN" --quiet 2>&1 | quiet
  fi
  if [ ! -f "$SASREC_BUNDLE/manifest.json" ]; then
    "$JAVA" "${JFLAGS[@]}" -cp "$CP" io.cliprec.cli.Main bundle --run "$SASREC_RUN" --out "$SASREC_BUNDLE" 2>&1 | quiet
  fi
  # one session per line: a user's last <= 50 items, space-separated, oldest first
  awk '{s = (NF - 1 > 50) ? NF - 49 : 2; line = $s; for (i = s + 1; i <= NF; i++) line = line " " $i; print line}' \
    "$BEAUTY_DATA" >"$SESSIONS_FILE"
elif want sessions; then
  echo "== Amazon Beauty SASRec bundle skipped ($BEAUTY_DATA absent)" >&2
fi

# wrk scripts
LUA="$WORK/user-recs.lua"
# common part of both wrk scripts: per-thread random seeds; done() prints one JSON line
LUA_COMMON="$(cat <<'EOF'
local nthreads = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %d, "duration_s": %.3f, "requests_per_s": %.1f, '
    .. '"latency_ms": {"p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f}, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status_non_2xx": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3, e.connect, e.read, e.write, e.status, e.timeout))
end
EOF
)"
# users: GET a random user's recommendations (ids from the bundle's users.txt)
{ cat <<'EOF'
local ids = {}
for line in io.lines(os.getenv("SERVE_LOAD_USERS_FILE")) do ids[#ids + 1] = line end
local function enc(s) return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
request = function()
  return wrk.format("GET", "/v1/users/" .. enc(ids[math.random(#ids)]) .. "/recommendations?k=20&exclude_seen=true")
end
EOF
  echo "$LUA_COMMON"; } >"$LUA"
# sessions: POST a random real session (a line of the sessions file) as {"items": [...], "k": 20}
LUA_SESSIONS="$WORK/sessions.lua"
{ cat <<'EOF'
local bodies = {}
for line in io.lines(os.getenv("SERVE_LOAD_USERS_FILE")) do
  local ids = {}
  for id in line:gmatch("%S+") do ids[#ids + 1] = '"' .. id .. '"' end
  bodies[#bodies + 1] = '{"items": [' .. table.concat(ids, ",") .. '], "k": 20}'
end
local headers = {["Content-Type"] = "application/json"}
request = function()
  return wrk.format("POST", "/v1/sessions/recommendations", headers, bodies[math.random(#bodies)])
end
EOF
  echo "$LUA_COMMON"; } >"$LUA_SESSIONS"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# live heap (KiB) right after a full GC
live_heap_kib() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/PSYoungGen|ParOldGen/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); s += v}} END {print s + 0}'
}

# run_one NAME BUNDLE [LUA IDS_FILE ENDPOINT] -> prints a JSON object
run_one() {
  local name="$1" bundle="$2" log="$WORK/$1-server.log"
  local lua="${3:-$LUA}" ids="${4:-$2/users.txt}"
  local user_endpoint='GET /v1/users/{random id}/recommendations?k=20&exclude_seen=true'
  local endpoint="${5:-$user_endpoint}"
  "$JAVA" "${SERVER_FLAGS[@]}" -cp "$CP" io.cliprec.cli.Main serve --bundle "$bundle" --port 0 --threads 16 \
    >"$log" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 1 240); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "server died" >&2; exit 1; }
    sleep 0.5
  done
  [ -n "$port" ] || { kill "$pid"; echo "server did not start" >&2; exit 1; }
  local base="http://127.0.0.1:$port"
  local n
  if [ "$lua" = "$LUA" ]; then
    local first
    first=$(head -1 "$bundle/users.txt")
    n=$(curl -sf "$base/v1/users/$first/recommendations?k=20" | grep -o '"item"' | wc -l)
  else
    local body ans
    body="{\"items\": [$(head -1 "$ids" | sed 's/\([^ ]*\)/"\1"/g; s/ /,/g')], \"k\": 20}"
    ans=$(curl -sf -H 'Content-Type: application/json' -d "$body" "$base/v1/sessions/recommendations")
    echo "$ans" | grep -q '"method":"sasrec"' || { echo "sanity check failed: $ans" >&2; kill "$pid"; exit 1; }
    n=$(echo "$ans" | grep -o '"item"' | wc -l)
  fi
  [ "$n" = 20 ] || { echo "sanity check failed: $n items" >&2; kill "$pid"; exit 1; }
  local rss_start
  rss_start=$(rss_kib "$pid")
  echo "== $name: warm-up 10 s on port $port" >&2
  SERVE_LOAD_USERS_FILE="$ids" wrk -t"$WRK_THREADS" -c"$CONNS" -d10s -s "$lua" "$base" >/dev/null
  local rss_before heap_before
  heap_before=$(live_heap_kib "$pid")
  rss_before=$(rss_kib "$pid")
  echo "== $name: wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s" >&2
  local out
  out=$(SERVE_LOAD_USERS_FILE="$ids" wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency \
    -s "$lua" "$base")
  echo "$out" | grep -v WRKJSON >&2
  local rss_after heap_after
  rss_after=$(rss_kib "$pid")
  heap_after=$(live_heap_kib "$pid")
  # one connection, no concurrency: the per-request latency floor on this machine
  echo "== $name: wrk -t1 -c1 -d15s (single connection)" >&2
  local single
  single=$(SERVE_LOAD_USERS_FILE="$ids" wrk -t1 -c1 -d15s -s "$lua" "$base" | sed -n 's/^WRKJSON //p')
  local metrics5xx
  metrics5xx=$(curl -sf "$base/metrics" | grep 'cliprec_http_requests_total' | grep -c 'status="5' || true)
  local t0
  t0=$(date +%s.%N)
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  local stop_s
  stop_s=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.2f", a - b}')
  local items users dim
  items=$(wc -l <"$bundle/items.txt")
  users=$(wc -l <"$bundle/users.txt")
  dim=$(sed -n 's/.*"dim" : \([0-9]*\).*/\1/p' "$bundle/manifest.json" | head -1)
  local model
  model=$(sed -n '/"model" : {/,/}/ s/.*"name" : "\([^"]*\)".*/\1/p' "$bundle/manifest.json" | head -1)
  cat <<JSON
    "$name": {
      "bundle": {"model": "$model", "users": $users, "items": $items, "dim": $dim},
      "endpoint": "$endpoint",
      "wrk": {"threads": $WRK_THREADS, "connections": $CONNS, "duration_s": $DURATION},
      "result": $(echo "$out" | sed -n 's/^WRKJSON //p'),
      "single_connection_15s": $single,
      "route_series_with_5xx": $metrics5xx,
      "server_jvm": "${SERVER_FLAGS[*]}",
      "rss_kib": {"after_start": $rss_start, "before_run": $rss_before, "after_run": $rss_after},
      "live_heap_after_full_gc_kib": {"before_run": $heap_before, "after_run": $heap_after},
      "sigterm_exit_code": $code,
      "sigterm_stop_s": $stop_s
    }
JSON
}

RESULTS="$(mktemp -d "$WORK/.results.XXXXXX")"
if want random; then run_one random "$RANDOM_BUNDLE" >"$RESULTS/random.json"; fi
if [ -n "$BABY_BUNDLE" ]; then run_one baby_lightgcn "$BABY_BUNDLE" >"$RESULTS/baby_lightgcn.json"; fi
if [ -n "$SASREC_BUNDLE" ]; then
  run_one beauty_sasrec_sessions "$SASREC_BUNDLE" "$LUA_SESSIONS" "$SESSIONS_FILE" \
    'POST /v1/sessions/recommendations {\"items\": [a random Beauty user sequence, last <= 50 items], \"k\": 20}' \
    >"$RESULTS/beauty_sasrec_sessions.json"
fi
TMP_JSON="$(mktemp --suffix=.tmp "$ROOT/bench/results/.serve-load.XXXXXX")"
HOST_JSON="{\"cores\": $(nproc), \"loadavg_at_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"java\": \"$("$JAVA" -version 2>&1 | head -1 | tr -d '"')\", \"wrk\": \"$( (wrk -v 2>&1 || true) | head -1 | cut -d' ' -f1-2)\"}"
# merge: this invocation's runs replace their previous entries, the others are kept with their own date
python3 - "$OUT_JSON" "$RESULTS" "$HOST_JSON" >"$TMP_JSON" <<'PY'
import json, os, sys, time
out, results, host = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
old = json.load(open(out)) if os.path.exists(out) else {}
runs = old.get("runs", {})
for v in runs.values():
    v.setdefault("date", old.get("date"))
    v.setdefault("host", old.get("host"))
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
for f in sorted(os.listdir(results)):
    for k, v in json.loads("{" + open(os.path.join(results, f)).read() + "}").items():
        v["date"] = now
        v["host"] = host
        runs[k] = v
print(json.dumps({"date": now, "host": host,
    "note": "server and wrk share the same machine (loopback); the machine is shared with other jobs, so "
            "figures are lower bounds; each run carries its own date and host load",
    "runs": runs}, indent=2))
PY
rm -rf "$RESULTS"
mv "$TMP_JSON" "$OUT_JSON"
echo "== wrote $OUT_JSON" >&2
cat "$OUT_JSON"
