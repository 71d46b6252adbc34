#!/usr/bin/env bash
# Shared by the JMH scripts (dense.sh, ctr-step.sh, eval-kernel.sh): builds the bench module and runs the
# benchmark class io.cliprec.bench.CLASS with its JSON results in bench/results/NAME.json.
#   bench/jmh-run.sh CLASS NAME [JMH ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
CLASS=${1:?usage: bench/jmh-run.sh CLASS NAME [JMH ARGS...]}
OUT=bench/results/${2:?usage: bench/jmh-run.sh CLASS NAME [JMH ARGS...]}.json
shift 2
mvn -B -q -o -DskipTests package -pl bench -am
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
mkdir -p bench/results
java --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp "$CP" org.openjdk.jmh.Main \
  "io.cliprec.bench.$CLASS" -rf json -rff "$OUT" "$@"
