#!/usr/bin/env bash
# kube-apply: server-side apply of 1,000 ConfigMaps against the loopback test API server.
#   reused:  one process, connection reuse, 8 requests in flight (what gitopsctl does)
#   fresh:   one process, a new TLS connection per request, one at a time (the naive client)
#   discover: full API discovery of a server with 60 extra API groups
# Goals (issue 9): reused at least 3x faster than fresh; discovery <= 100 ms on loopback.
#
# Runs on its own (`bench/cases/kube-apply.sh [BINARY]`) or sourced by scripts/bench, which
# passes the binary as $GITOPSCTL. Prints medians of $RUNS runs and the ratio.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${GITOPSCTL:-${1:-$root/.build/release/gitopsctl}}
count=${KUBE_APPLY_COUNT:-1000}
runs=${RUNS:-3}
out=$root/bench/out/kube-apply
rm -rf "$out" && mkdir -p "$out"

# The server exits when its stdin closes, i.e. when this script ends.
coproc SERVER { exec python3 "$root/Tests/Support/kube-apiserver/server.py" "$out" --extra-groups 60 2>"$out/server.log"; }
read -r ready port <&"${SERVER[0]}"
[ "$ready" = READY ] || { echo "kube-apply: test API server did not start" >&2; exit 1; }
export KUBECONFIG=$out/kubeconfig

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # prints seconds for one run of "$@"
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

"$bin" debug apply-configmaps --count 20 -n default >/dev/null 2>&1   # warm-up
reused=$(for _ in $(seq "$runs"); do measure "$bin" debug apply-configmaps --count "$count" -n default --parallel 8; done | median)
fresh=$(for _ in $(seq "$runs"); do measure "$bin" debug apply-configmaps --count "$count" -n default --parallel 1 --fresh-connections; done | median)
ratio=$(echo "scale=2; $fresh / $reused" | bc)
printf 'kube-apply  %s ConfigMaps  reused+parallel %.2fs  fresh+sequential %.2fs  speed-up %sx (goal >= 3x)\n' \
    "$count" "$reused" "$fresh" "$ratio"
discover=$(for _ in $(seq "$runs"); do measure "$bin" debug discover; done | median)
printf 'kube-discovery  %s  %.0f ms per run, process start included (goal <= 100 ms)\n' \
    "$("$bin" debug discover)" "$(echo "$discover * 1000" | bc)"
