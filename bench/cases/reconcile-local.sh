# Benchmark case (sourced by scripts/bench, see bench/lib.sh): `gitopsctl reconcile ks --local`
# against `kubectl apply --server-side -f` of the same built manifests (issue 10, item 2).
#   reconcile-local: a Kustomization of 1,000 ConfigMaps (and their Namespace), applied to the
#   loopback test API server. gitopsctl builds, checks every kind, reads and dry-run applies
#   each object (8 requests in flight) and applies only what drifted, as kustomize-controller
#   does; kubectl only applies the pre-built stream.
# Both re-apply the same objects on every measured run, so after the warm-up both measure
# the "nothing changed" reconcile Flux does every interval.

reconcile_local_generate() {
python3 - "$BENCH_OUT" "${RECONCILE_LOCAL_COUNT:-1000}" <<'PY'
import os, sys, shutil
out, count = sys.argv[1], int(sys.argv[2])
shutil.rmtree(f"{out}/repo", ignore_errors=True)
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
write(f"{out}/repo/clusters/bench/flux-system/gotk-sync.yaml", """apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.com/bench
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: bench
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
""")
objects = ["apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n"]
objects += [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i:04d}\n  namespace: bench\n"
            f"data:\n  index: \"{i}\"\n  owner: team-{i % 7}\n" for i in range(count)]
write(f"{out}/repo/apps/configmaps.yaml", "---\n".join(objects))
write(f"{out}/repo/apps/kustomization.yaml", "resources:\n  - configmaps.yaml\n")
PY
}

reconcile_local_generate
if ! bench_has kubectl; then
  echo "reconcile-local: kubectl not found, skipped" >&2
else
  # The server exits when its stdin closes, i.e. when the case's shell goes away.
  coproc RECONCILE_LOCAL_SERVER { exec python3 "$root/Tests/Support/kube-apiserver/server.py" "$BENCH_OUT/server" 2>"$BENCH_OUT/server.log"; }
  read -r ready _ <&"${RECONCILE_LOCAL_SERVER[0]}"
  if [ "$ready" != READY ]; then
    echo "reconcile-local: test API server did not start" >&2
  else
    export KUBECONFIG=$BENCH_OUT/server/kubeconfig
    (cd "$BENCH_OUT/repo" && "$GITOPSCTL" build ks bench --path clusters/bench > "$BENCH_OUT/built.yaml")
    bench_compare "reconcile-local ${RECONCILE_LOCAL_COUNT:-1000} ConfigMaps" \
      "$GITOPSCTL reconcile ks bench --local --repo $BENCH_OUT/repo --path clusters/bench" \
      "kubectl apply --server-side --validate=false --field-manager kustomize-controller -f $BENCH_OUT/built.yaml"
  fi
  kill "$RECONCILE_LOCAL_SERVER_PID" 2>/dev/null || true
fi
