#!/usr/bin/env bash
# kube-apply: talking to the loopback test API server (Tests/Support/kube-apiserver/server.py).
#   kube-ssa     1,000 ConfigMaps by server-side apply, connection reuse and 8 in flight (what
#                gitopsctl does) against the same 1,000 applied one at a time, each on a fresh
#                TLS connection (the naive client). Goal (issue 9): RATIO <= 0.33 (3x faster).
#   kube-kctl    the same reused+parallel apply against `kubectl apply --server-side`.
#   kube-disc    full API discovery of a server with 60 extra API groups, process start included,
#                against `kubectl api-resources` with an empty cache. Goal: OURS ms <= 100.
#
# Sourced by scripts/bench (which passes the binary as $GITOPSCTL and a scratch directory as
# $BENCH_OUT); also runs on its own: `bench/cases/kube-apply.sh [BINARY]`. KUBE_BENCH_RUNS
# (default 5) sets the measured runs: a fresh-connection run takes seconds.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if ! declare -F bench_compare >/dev/null; then
  set -euo pipefail
  GITOPSCTL=${GITOPSCTL:-${1:-$root/.build/release/gitopsctl}}
  BENCH_OUT=$root/bench/out/kube-apply
  mkdir -p "$BENCH_OUT"
  # shellcheck source=../lib.sh
  source "$root/bench/lib.sh"
  bench_header
fi
count=${KUBE_APPLY_COUNT:-1000}

server_dir=$BENCH_OUT/server
rm -rf "$server_dir" && mkdir -p "$server_dir"
# The server exits when its stdin closes, i.e. when this case ends.
coproc KUBE_SERVER { exec python3 "$root/Tests/Support/kube-apiserver/server.py" "$server_dir" --extra-groups 60 2>"$BENCH_OUT/server.log"; }
read -r ready port <&"${KUBE_SERVER[0]}" || true
[ "${ready:-}" = READY ] || { echo "kube-apply skipped: the test API server did not start" >&2; return 0 2>/dev/null || exit 1; }
export KUBECONFIG=$server_dir/kubeconfig

manifests=$BENCH_OUT/configmaps.yaml
for ((i = 0; i < count; i++)); do
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-%d\n  namespace: default\ndata:\n  index: "%d"\n---\n' "$i" "$i"
done >"$manifests"

# The first apply creates the objects; every measured run re-applies the same intent, as a
# reconcile of an unchanged repository does.
"$GITOPSCTL" debug apply-configmaps --count "$count" -n default >/dev/null 2>&1

(
  BENCH_RUNS=${KUBE_BENCH_RUNS:-5}
  BENCH_WARMUP=1
  bench_compare kube-ssa "$GITOPSCTL debug apply-configmaps --count $count -n default --parallel 8" \
    "$GITOPSCTL debug apply-configmaps --count $count -n default --parallel 1 --fresh-connections"
  bench_compare kube-kctl "$GITOPSCTL debug apply-configmaps --count $count -n default --parallel 8" \
    "kubectl apply --server-side --validate=false --field-manager=gitopsctl -f $manifests"
)
echo "kube-disc: $("$GITOPSCTL" debug discover)" >&2
bench_compare kube-disc "$GITOPSCTL debug discover" "kubectl api-resources --cache-dir $BENCH_OUT/kubectl-cache/\$\$"
