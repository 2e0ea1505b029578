#!/usr/bin/env bash
# Outlast side by side with nginx, on one machine, in one run.
#
# An origin (nginx + a few lines of Lua answering JSON-RPC with the request's id) is put behind
# (1) nginx as a plain reverse proxy and (2) Outlast; wrk drives both in alternating rounds
# (A/B/A/B) for three cases:
#   pass-through  eth_getTransactionByHash of a random hash per request: not coalesced (each request
#                 differs), not cached (no transaction found), so one upstream call per request
#                 (Outlast's failover path); the script checks that count from Outlast's metrics
#   cache-hit     eth_getBalance at a final block: Outlast answers from its cache; also sent to a
#                 ganache node directly, the comparison the cache target is about
#   consensus     eth_getBalance of a random address at "pending": never cached or coalesced; Outlast
#                 asks two upstreams and compares (two upstream calls per request, checked too)
#   site          GET through a site (sites:, matched on Host): Outlast's HTTP reverse proxy
#   verified-read eth_getBalance of a random address (none coalesced) at a pinned block of a real
#                 ganache node, through a second Outlast with the cache off: verify: proofs (agreed
#                 header once per block, then one eth_getProof per read, verified) against a plain
#                 read (one upstream, no check) and a consensus read (two upstreams compared);
#                 nginx is not involved
# pass-through and cache-hit are also sent to bare Armeria (dev.outlast.bench.BareArmeria from the
# benchmarks jar, built if missing): Armeria's HTTP server and client forwarding the body, or the
# server answering a fixed result, and nothing else; pass-through also to "armeria+netty", the same
# server forwarding with a Netty client on the request's event loop (the shape of Outlast's upstream
# client, so the floor under Outlast's pass-through); and to bare Netty
# (dev.outlast.bench.BareNetty: HTTP/1.1 codecs and one origin connection per client connection),
# what a path without Armeria could reach at best.
# It prints requests/s, p50 and p99 for each, the CPU time the target's process spent per request
# (user + system, from /proc, nginx's worker included; the origin and wrk are not counted; each run's
# line also gives the system part), Outlast's
# ratios to nginx and to bare Armeria, and Outlast's peak resident memory (VmHWM). Requests/s move
# 10-30% between runs on a busy 2-core machine; CPU per request moves less (time spent waiting for
# a core is not counted), so it is the better measure to judge a change by. Needs Debian's nginx-light, libnginx-mod-http-lua and wrk:
#   apt-get install -y nginx-light libnginx-mod-http-lua wrk
#
# Before the rounds, each JVM (Outlast, bare Armeria, bare Netty) serves each of its cases for
# --warmup seconds (default 30): the JIT compiler takes that long on 2 cores to compile Outlast's
# hot paths, and a gateway runs for days, so the rounds measure it compiled (with a warm-up of one
# 8 s run, Outlast's pass-through rate still rose by half from one round to the next).
#
# Every proxy under test gets the same number of workers, --workers (default 1): nginx's
# worker_processes, Outlast's server.eventLoops, the event loops of bare Armeria and bare Netty.
# On 2 cores shared with wrk and the origin, one each is what nginx is given; more only compete.
#
# Usage: benchmarks/wrk-vs-nginx.sh [--seconds N] [--rounds N] [--warmup N] [--connections N] [--out FILE]
#                                   [--workers N] [--cases pass-through,cache-hit,consensus,site,verified-read]
set -euo pipefail

all_cases=pass-through,cache-hit,consensus,site,verified-read
cases=$all_cases
seconds=10
rounds=2
warmup=30
connections=32
workers=1
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    -h|--help) sed -n '2,44p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "wrk-vs-nginx: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for c in ${cases//,/ }; do
  case ",$all_cases," in *",$c,"*) ;; *) echo "wrk-vs-nginx: unknown case: $c (expected some of: $all_cases)" >&2; exit 2 ;; esac
done
selected() { case ",$cases," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lua_module=/usr/share/nginx/modules/ngx_http_lua_module.so
ndk_module=/usr/share/nginx/modules/ndk_http_module.so
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { echo "wrk-vs-nginx: $tool is missing: apt-get install -y nginx-light libnginx-mod-http-lua wrk" >&2; exit 2; }
done
[ -f "$lua_module" ] || { echo "wrk-vs-nginx: the nginx Lua module is missing: apt-get install -y libnginx-mod-http-lua" >&2; exit 2; }
ganache="$root/tools/ganache/node_modules/.bin/ganache"
[ -x "$ganache" ] || (cd "$root/tools/ganache" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
origin_port=$(free_port); proxy_port=$(free_port); outlast_port=$(free_port); ganache_port=$(free_port)
verify_port=$(free_port); armeria_port=$(free_port); netty_port=$(free_port)

wait_http() { # url, body, what
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null -X POST -H 'content-type: application/json' -d "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "wrk-vs-nginx: $3 did not start" >&2; exit 1
}

cat > "$work/origin.conf" <<CONF
load_module $ndk_module;
load_module $lua_module;
worker_processes 1;
daemon off;
pid $work/origin.pid;
error_log $work/origin.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$origin_port;
    location / {
      default_type application/json;
      content_by_lua_block {
        ngx.req.read_body()
        local body = ngx.req.get_body_data() or ""
        local id = string.match(body, '"id"%s*:%s*(%d+)') or "null"
        local method = string.match(body, '"method"%s*:%s*"([%w_]+)"') or ""
        local result = '"0x1"'
        if method == "eth_blockNumber" then
          result = '"0x1000"'
        elseif method == "eth_getBlockByNumber" then
          local n = string.match(body, '"params"%s*:%s*%[%s*"0x(%x+)"')
          if n then
            local v = tonumber(n, 16)
            result = string.format('{"number":"0x%x","hash":"0x%064x","parentHash":"0x%064x"}', v, v + 1, v)
          else
            result = "null"
          end
        end
        local out = '{"jsonrpc":"2.0","id":' .. id .. ',"result":' .. result .. '}'
        -- a length, as geth and static files send (not chunked)
        ngx.header["Content-Length"] = #out
        ngx.print(out)
      }
    }
  }
}
CONF

cat > "$work/proxy.conf" <<CONF
worker_processes $workers;
daemon off;
pid $work/proxy.pid;
error_log $work/proxy.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream origin { server 127.0.0.1:$origin_port; keepalive 64; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF

# Each Outlast keeps its history in its own file: two starting at once on one file race at its migration.
cat > "$work/outlast.yaml" <<CONF
server:
  listen: 127.0.0.1:$outlast_port
  eventLoops: $workers
storage:
  sqlite:
    path: $work/outlast-history.db
chains:
  - id: bench
    chainId: 1
    upstreams:
      - name: a
        url: http://127.0.0.1:$origin_port/a
      - name: b
        url: http://127.0.0.1:$origin_port/b
sites:
  - id: bench
    host: site.bench
    origins:
      - name: origin
        url: http://127.0.0.1:$origin_port
    cacheBytes: 0
CONF

# The verified-read case: a second Outlast without a cache (each read is verified or compared anew)
# over one ganache node reached by two names, so that header agreement and consensus have two upstreams.
ganache_upstreams="$(cat <<CONF
    upstreams:
      - name: a
        url: http://127.0.0.1:$ganache_port
      - name: b
        url: http://localhost:$ganache_port
CONF
)"
cat > "$work/verify.yaml" <<CONF
server:
  listen: 127.0.0.1:$verify_port
  eventLoops: $workers
storage:
  sqlite:
    path: $work/verify-history.db
cache:
  enabled: false
chains:
  - id: proofs
    chainId: 1337
    verify: proofs
$ganache_upstreams
  - id: plain
    chainId: 1337
    verify: consensus
    consensus:
      methods: [eth_call]
$ganache_upstreams
  - id: consensus
    chainId: 1337
    verify: consensus
$ganache_upstreams
CONF

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
LUA
cat > "$work/random.lua" <<'LUA'
-- BODY with its %s replaced, request by request, by DIGITS random hex digits: no two requests
-- alike, so none is coalesced with another or answered from a cache.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local template = os.getenv("BODY")
local n = tonumber(os.getenv("DIGITS"))
request = function()
  local digits = {}
  for i = 1, n do digits[i] = string.format("%x", math.random(0, 15)) end
  return wrk.format(nil, nil, nil, string.format(template, table.concat(digits)))
end
LUA
cat > "$work/get.lua" <<'LUA'
wrk.method = "GET"
wrk.headers["Host"] = "site.bench"
LUA

nginx -c "$work/origin.conf" -p "$work" & pids+=($!)
nginx -c "$work/proxy.conf" -p "$work" & proxy_pid=$!; pids+=($proxy_pid)
"$ganache" --server.host 127.0.0.1 --server.port "$ganache_port" --wallet.deterministic --chain.chainId 1337 \
  --logging.quiet > "$work/ganache.log" 2>&1 & ganache_pid=$!; pids+=($ganache_pid)
# Outlast runs with what bin/outlast gives it on this machine: the collector and heap it picks
# (bin/jvm-defaults.sh: on 1-2 CPUs the serial collector and a fixed 256 MiB heap; G1, the JVM's own
# choice on 2 CPUs, sets a fatter tail: docs/benchmarks.md, "The collector") plus OUTLAST_JAVA_OPTS,
# which replaces that choice when it sets a collector or a heap. Bare Armeria and bare Netty get the same.
. "$root/bin/jvm-defaults.sh"
jvm_opts=$(outlast_jvm_defaults)
if [ -n "${OUTLAST_JAVA_OPTS:-}" ]; then jvm_opts="${jvm_opts:+$jvm_opts }$OUTLAST_JAVA_OPTS"; fi
# bin/outlast builds the application when its sources changed: once here, not by both instances at once
"$root/bin/outlast" --version > /dev/null
"$root/bin/outlast" serve --config "$work/outlast.yaml" > "$work/outlast.log" 2>&1 & outlast_pid=$!; pids+=($outlast_pid)
if selected verified-read; then
  "$root/bin/outlast" serve --config "$work/verify.yaml" > "$work/verify.log" 2>&1 & verify_pid=$!; pids+=($verify_pid)
fi
bare=
if selected pass-through || selected cache-hit; then
  bare=yes
  bench_jar="$root/benchmarks/target/benchmarks.jar"
  if [ ! -f "$bench_jar" ] || [ -n "$(find "$root/benchmarks/src" -newer "$bench_jar" -type f -print -quit)" ]; then
    echo "building the benchmarks jar (bare Armeria)..." >&2
    (cd "$root" && JAVA_HOME=$("$root/bin/find-jdk") ./mvnw -q -B -pl benchmarks -am package -DskipTests) >&2
  fi
  # the JVM flags bin/outlast uses, for a like-for-like floor
  JAVA_HOME=$("$root/bin/find-jdk")
  for bare_server in "BareArmeria $armeria_port armeria" "BareNetty $netty_port netty"; do
    read -r main port name <<< "$bare_server"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dio.netty.leakDetection.level=disabled \
      $jvm_opts -cp "$bench_jar" "dev.outlast.bench.$main" "$port" \
      "http://127.0.0.1:$origin_port/" "$workers" > "$work/$name.log" 2>&1 & pids+=($!)
    eval "${name}_pid=\$!"
  done
fi

chain_id='{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}'
wait_http "http://127.0.0.1:$origin_port/" "$chain_id" "the origin nginx"
wait_http "http://127.0.0.1:$proxy_port/" "$chain_id" "the proxy nginx"
wait_http "http://127.0.0.1:$ganache_port/" "$chain_id" "ganache"
[ -n "$bare" ] && wait_http "http://127.0.0.1:$armeria_port/static" "$chain_id" "bare Armeria"
[ -n "$bare" ] && wait_http "http://127.0.0.1:$netty_port/static" "$chain_id" "bare Netty"
wait_ready() { # port, log, what
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.2
  done
  echo "wrk-vs-nginx: $3 not ready; see its log:" >&2; cat "$2" >&2; exit 1
}
wait_ready "$outlast_port" "$work/outlast.log" "Outlast"
selected verified-read && wait_ready "$verify_port" "$work/verify.log" "the verifying Outlast"
sleep 2 # the block watch marks block 0x10 final

address=0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1
pass_body=random-tx
hit_body='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["'$address'","0x10"]}'
ganache_body='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["'$address'","0x0"]}'
consensus_body=random-pending
hit_check=$(curl -s -D - -o /dev/null -X POST -H 'content-type: application/json' -d "$hit_body" "http://127.0.0.1:$outlast_port/rpc/bench"; \
            curl -s -D - -o /dev/null -X POST -H 'content-type: application/json' -d "$hit_body" "http://127.0.0.1:$outlast_port/rpc/bench")
echo "$hit_check" | grep -qi '^x-outlast-cache: HIT' || { echo "wrk-vs-nginx: the cache-hit case does not hit the cache:" >&2; echo "$hit_check" >&2; exit 1; }
verified_body='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["'$address'","0x0"]}'
if selected verified-read; then
  check() { # chain header-pattern
    local h
    h=$(curl -s -D - -X POST -H 'content-type: application/json' -d "$verified_body" "http://127.0.0.1:$verify_port/rpc/$1")
    echo "$h" | grep -qi "$2" && echo "$h" | grep -q '"result":"0x3635c9adc5dea00000"' \
      || { echo "wrk-vs-nginx: the verified-read case's $1 chain does not answer as expected ($2):" >&2; echo "$h" >&2; exit 1; }
  }
  check proofs '^x-outlast-verified: proof'
  check plain '^x-outlast-upstream: [ab]'
  check consensus '^x-outlast-consensus: 2/2'
fi

# to_ms VALUE: wrk prints 812.00us, 1.23ms or 1.02s
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# run URL BODY -> "rps p50 p99 requests"; an empty BODY sends GET with Host: site.bench; BODY random-balance,
# random-tx or random-pending sends a request of that kind with random parameters (see the scripts)
run() { # URL BODY [SECONDS]
  local result script=post.lua body=$2 digits=0 duration=${3:-$seconds}
  [ -z "$2" ] && script=get.lua
  case "$2" in
    random-balance) body='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x%s","0x0"]}'; digits=40 ;;
    random-pending) body='{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x%s","pending"]}'; digits=40 ;;
    random-tx) body='{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionByHash","params":["0x%s"]}'; digits=64 ;;
  esac
  [ "$digits" -gt 0 ] && script=random.lua
  result=$(BODY="$body" DIGITS="$digits" wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$work/$script" "$1")
  local rps p50 p99 requests
  rps=$(echo "$result" | awk '/^Requests\/sec:/ { print $2 }')
  requests=$(echo "$result" | awk '/ requests in / { print $1 }')
  p50=$(to_ms "$(echo "$result" | awk '$1 == "50%" { print $2 }')")
  p99=$(to_ms "$(echo "$result" | awk '$1 == "99%" { print $2 }')")
  if echo "$result" | grep -q 'Non-2xx'; then
    echo "wrk-vs-nginx: non-2xx answers from $1:" >&2; echo "$result" >&2; exit 1
  fi
  echo "$rps $p50 $p99 $requests"
}

# The process whose CPU time counts for a target (nginx's master, whose worker is its child).
declare -A target_pid=([nginx]=$proxy_pid [outlast]=$outlast_pid [ganache]=$ganache_pid)
if [ -n "$bare" ]; then
  target_pid[armeria]=$armeria_pid; target_pid[armeria+netty]=$armeria_pid; target_pid[netty]=$netty_pid
fi
if selected verified-read; then
  target_pid[plain]=$verify_pid; target_pid[consensus]=$verify_pid; target_pid[proofs]=$verify_pid
fi
hz=$(getconf CLK_TCK)
# cpu_ticks PID: user and system time of the process and its children, in clock ticks ("user
# system"). /proc's stat is read after the command name's closing parenthesis (a name may hold
# spaces): the 12th and 13th fields from there are utime and stime.
cpu_ticks() {
  local p user=0 sys=0 u s
  for p in "$1" $(pgrep -P "$1" || true); do
    if [ -r "/proc/$p/stat" ]; then
      read -r u s <<< "$(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12, $13 }')"
      user=$((user + u)); sys=$((sys + s))
    fi
  done
  echo "$user $sys"
}

echo "warming up the JVMs (${warmup}s per case)..." >&2
# Prometheus scrapes a gateway all the time, and the rounds read Outlast's /metrics around each run:
# scraped during the warm-up too, the JIT compiles for that mix instead of throwing away (and
# compiling again, in the measured run) code that had only ever seen RPC calls.
( while true; do
    curl -s -o /dev/null "http://127.0.0.1:$outlast_port/metrics"
    selected verified-read && curl -s -o /dev/null "http://127.0.0.1:$verify_port/metrics"
    sleep 1
  done ) & scraper=$!; pids+=($scraper)
selected pass-through && run "http://127.0.0.1:$outlast_port/rpc/bench" "$pass_body" "$warmup" > /dev/null
selected cache-hit && run "http://127.0.0.1:$outlast_port/rpc/bench" "$hit_body" "$warmup" > /dev/null
for port in $armeria_port $netty_port; do
  selected pass-through && run "http://127.0.0.1:$port/proxy" "$pass_body" "$warmup" > /dev/null
  selected cache-hit && run "http://127.0.0.1:$port/static" "$hit_body" "$warmup" > /dev/null
done
selected pass-through && run "http://127.0.0.1:$armeria_port/proxy-netty" "$pass_body" "$warmup" > /dev/null
selected consensus && run "http://127.0.0.1:$outlast_port/rpc/bench" "$consensus_body" "$warmup" > /dev/null
selected site && run "http://127.0.0.1:$outlast_port/page" "" "$warmup" > /dev/null
if selected verified-read; then
  for chain in proofs plain consensus; do run "http://127.0.0.1:$verify_port/rpc/$chain" random-balance "$warmup" > /dev/null; done
fi
kill "$scraper" 2>/dev/null || true

# Upstream calls Outlast made per client request while a case ran against it, from its metrics:
# proves that pass-through and consensus requests were neither coalesced nor cached.
upstream_total() {
  curl -s "http://127.0.0.1:$outlast_port/metrics" | awk '
    /^outlast_upstream_requests_total\{/ { u += $2 }
    /^outlast_requests_total\{/ { r += $2 }
    END { printf "%d %d\n", u, r }'
}
declare -A sum
declare -A calls
measure() { # case target url body
  local r before after cpu0 cpu1 user sys pid=${target_pid[$2]}
  [ "$2" = outlast ] && before=$(upstream_total)
  cpu0=$(cpu_ticks "$pid")
  r=$(run "$3" "$4")
  cpu1=$(cpu_ticks "$pid")
  if [ "$2" = outlast ]; then
    after=$(upstream_total)
    calls[$1]=$(echo "$before $after" | awk '{ if ($4 > $2) printf "%.2f", ($3 - $1) / ($4 - $2); else print "-" }')
  fi
  read -r rps p50 p99 requests <<< "$r"
  read -r user sys <<< "$(echo "$cpu0 $cpu1" | awk '{ print $3 - $1, $4 - $2 }')"
  cpu=$(awk -v t=$((user + sys)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  sys=$(awk -v t="$sys" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  echo "  $1 / $2: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, CPU ${cpu} us per request (${sys} in the kernel)" >&2
  sum[$1,$2,rps]=$(awk -v a="${sum[$1,$2,rps]:-0}" -v b="$rps" 'BEGIN { print a + b }')
  sum[$1,$2,p50]=$(awk -v a="${sum[$1,$2,p50]:-0}" -v b="$p50" 'BEGIN { print a + b }')
  sum[$1,$2,p99]=$(awk -v a="${sum[$1,$2,p99]:-0}" -v b="$p99" 'BEGIN { print a + b }')
  sum[$1,$2,cpu]=$(awk -v a="${sum[$1,$2,cpu]:-0}" -v b="$cpu" 'BEGIN { print a + b }')
}

for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds" >&2
  if selected pass-through; then
    measure pass-through nginx "http://127.0.0.1:$proxy_port/rpc/bench" "$pass_body"
    measure pass-through outlast "http://127.0.0.1:$outlast_port/rpc/bench" "$pass_body"
    measure pass-through armeria "http://127.0.0.1:$armeria_port/proxy" "$pass_body"
    measure pass-through armeria+netty "http://127.0.0.1:$armeria_port/proxy-netty" "$pass_body"
    measure pass-through netty "http://127.0.0.1:$netty_port/proxy" "$pass_body"
  fi
  if selected cache-hit; then
    measure cache-hit nginx "http://127.0.0.1:$proxy_port/rpc/bench" "$hit_body"
    measure cache-hit outlast "http://127.0.0.1:$outlast_port/rpc/bench" "$hit_body"
    measure cache-hit armeria "http://127.0.0.1:$armeria_port/static" "$hit_body"
    measure cache-hit netty "http://127.0.0.1:$netty_port/static" "$hit_body"
    measure cache-hit ganache "http://127.0.0.1:$ganache_port/" "$ganache_body"
  fi
  if selected consensus; then
    measure consensus nginx "http://127.0.0.1:$proxy_port/rpc/bench" "$consensus_body"
    measure consensus outlast "http://127.0.0.1:$outlast_port/rpc/bench" "$consensus_body"
  fi
  if selected site; then
    measure site nginx "http://127.0.0.1:$proxy_port/page" ""
    measure site outlast "http://127.0.0.1:$outlast_port/page" ""
  fi
  if selected verified-read; then
    measure verified-read plain "http://127.0.0.1:$verify_port/rpc/plain" random-balance
    measure verified-read consensus "http://127.0.0.1:$verify_port/rpc/consensus" random-balance
    measure verified-read proofs "http://127.0.0.1:$verify_port/rpc/proofs" random-balance
  fi
done

avg() { awk -v s="${sum[$1,$2,$3]}" -v n="$rounds" 'BEGIN { printf "%.2f", s / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2fx", a / b }'; }
rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$outlast_pid/status" 2>/dev/null || echo "?")

{
  echo "| case | target | req/s | p50 ms | p99 ms | CPU us/req | req/s vs nginx | p99 vs nginx | CPU vs nginx |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for c in pass-through cache-hit consensus site; do
    selected "$c" || continue
    targets="nginx outlast"
    [ "$c" = pass-through ] && targets="nginx outlast armeria armeria+netty netty"
    [ "$c" = cache-hit ] && targets="nginx outlast armeria netty ganache"
    for t in $targets; do
      echo "| $c | $t | $(avg "$c" "$t" rps) | $(avg "$c" "$t" p50) | $(avg "$c" "$t" p99) | $(avg "$c" "$t" cpu) | $(ratio "$(avg "$c" "$t" rps)" "$(avg "$c" nginx rps)") | $(ratio "$(avg "$c" "$t" p99)" "$(avg "$c" nginx p99)") | $(ratio "$(avg "$c" "$t" cpu)" "$(avg "$c" nginx cpu)") |"
    done
  done
  if selected verified-read; then
    for t in plain consensus proofs; do
      echo "| verified-read | $t | $(avg verified-read "$t" rps) | $(avg verified-read "$t" p50) | $(avg verified-read "$t" p99) | $(avg verified-read "$t" cpu) | - | - | - |"
    done
  fi
  echo
  for c in pass-through cache-hit consensus; do
    selected "$c" && echo "Upstream calls per request through Outlast, $c: ${calls[$c]:--} (last round)."
  done
  if selected cache-hit; then
    echo "Outlast cache hits vs the same call sent to ganache directly: $(ratio "$(avg cache-hit outlast rps)" "$(avg cache-hit ganache rps)") the requests/s."
  fi
  if selected pass-through; then
    echo "Outlast vs armeria+netty (its floor: the same server and the same kind of upstream client, nothing else)," \
      "pass-through: $(ratio "$(avg pass-through outlast rps)" "$(avg pass-through armeria+netty rps)") the requests/s," \
      "$(ratio "$(avg pass-through outlast p99)" "$(avg pass-through armeria+netty p99)") the p99," \
      "$(ratio "$(avg pass-through outlast cpu)" "$(avg pass-through armeria+netty cpu)") the CPU per request."
  fi
  for c in pass-through cache-hit; do
    selected "$c" && echo "Outlast vs bare Armeria, $c: $(ratio "$(avg "$c" outlast rps)" "$(avg "$c" armeria rps)") the requests/s," \
      "$(ratio "$(avg "$c" outlast p99)" "$(avg "$c" armeria p99)") the p99; vs nginx: bare Armeria $(ratio "$(avg "$c" armeria rps)" "$(avg "$c" nginx rps)"),$([ "$c" = pass-through ] && echo " Armeria with a Netty client $(ratio "$(avg "$c" armeria+netty rps)" "$(avg "$c" nginx rps)"),") bare Netty $(ratio "$(avg "$c" netty rps)" "$(avg "$c" nginx rps)")."
  done
  if selected verified-read; then
    echo "Cost of a proof-verified read (eth_getBalance at a pinned block, verify: proofs) vs a plain one:" \
      "$(ratio "$(avg verified-read proofs rps)" "$(avg verified-read plain rps)") the requests/s," \
      "$(ratio "$(avg verified-read proofs p50)" "$(avg verified-read plain p50)") the p50 latency;" \
      "vs a consensus read: $(ratio "$(avg verified-read proofs rps)" "$(avg verified-read consensus rps)") the requests/s," \
      "$(ratio "$(avg verified-read proofs p50)" "$(avg verified-read consensus p50)") the p50 latency."
  fi
  echo "Outlast peak resident memory (VmHWM): ${rss} MiB (JVM options: $jvm_opts)."
  echo "wrk -t1 -c$connections, ${seconds}s per run, $rounds alternating rounds, averages; $workers worker(s) per proxy; $(nproc) cores, $(date -u +%Y-%m-%d)."
} | tee ${out:+"$out"}
