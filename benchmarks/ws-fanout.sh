#!/usr/bin/env bash
# One chain's newHeads fanned out to many WebSocket clients through Outlast, on one machine.
#
# Outlast runs in its own process (as bin/outlast gives it); dev.outlast.bench.WsFanOut (benchmarks
# jar, built if missing) runs three fake upstreams that move the head every SPACING_MS, opens CLIENTS
# WebSocket connections with one newHeads subscription each, and prints, per block, the time from the
# first head poll an upstream answered with it to the last client that got it (p50, p99, max), every
# delivery's time, gaps and duplicates. Then this script prints Outlast's resident memory (VmRSS)
# and peak (VmHWM).
#
# Usage: benchmarks/ws-fanout.sh [CLIENTS=10000] [BLOCKS=60] [SPACING_MS=500]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clients=${1:-10000}
blocks=${2:-60}
spacing=${3:-500}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
base=$((20000 + RANDOM % 20000))
cat > "$work/outlast.yaml" <<YAML
server:
  listen: 127.0.0.1:$port
  webSocket: {maxConnectionsPerClient: $((clients + 100))}
chains:
  - id: bench
    chainId: 1337
    headPollInterval: 50ms
    upstreams:
      - {name: a, url: "http://127.0.0.1:$base"}
      - {name: b, url: "http://127.0.0.1:$((base + 1))"}
      - {name: c, url: "http://127.0.0.1:$((base + 2))"}
YAML

bench_jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$bench_jar" ]]; then
  echo "building the benchmarks jar..." >&2
  (cd "$root" && JAVA_HOME=$("$root/bin/find-jdk") ./mvnw -q -B -pl benchmarks -am package -DskipTests) >&2
fi
"$root/bin/outlast" --version > /dev/null
"$root/bin/outlast" serve --config "$work/outlast.yaml" > "$work/outlast.log" 2>&1 & outlast_pid=$!; pids+=($outlast_pid)
java_bin="$("$root/bin/find-jdk")/bin/java"
"$java_bin" -Xmx4g -cp "$bench_jar" dev.outlast.bench.WsFanOut "$port" "$base" "$clients" "$blocks" "$spacing"
pid=$(pgrep -P "$outlast_pid" java || echo "$outlast_pid")
grep -E 'VmRSS|VmHWM' "/proc/$pid/status" | sed 's/^/outlast /'
