# The Flux repository model offline (issue 7) on a generated repository with 200 Flux
# Kustomizations, 150 HelmReleases and 5,000 resources, dependsOn in layers, postBuild
# substitution from a ConfigMap. `validate` builds every Kustomization, substitutes and runs
# every check; the usual CI script it replaces is `kubectl kustomize` on every path. `tree --deps`
# needs the same discovery; its reference is kustomize building the cluster path alone.
# Targets: tree --deps <= 200 ms, validate <= 1 s and >= 10x faster than kubectl on every path.
repo="$BENCH_OUT/repo"
python3 - "$repo" <<'PY'
import os, shutil, sys
repo = sys.argv[1]
shutil.rmtree(repo, ignore_errors=True)

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

write(f"{repo}/clusters/bench/flux-system/gotk-sync.yaml", """apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m0s, ref: {branch: main}, url: ssh://git@example.com/org/bench}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m0s, path: ./clusters/bench, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
""")
write(f"{repo}/clusters/bench/flux-system/kustomization.yaml", "resources:\n- gotk-sync.yaml\n")
# kubectl needs a kustomization file where Flux would generate one.
write(f"{repo}/clusters/bench/kustomization.yaml", "resources:\n- flux-system\n- vars.yaml\n- apps.yaml\n")
write(f"{repo}/clusters/bench/vars.yaml", """apiVersion: v1
kind: ConfigMap
metadata: {name: cluster-vars, namespace: flux-system}
data: {CLUSTER: bench, DOMAIN: example.org}
""")
kustomizations, resources = [], 3
for i in range(200):
    name = f"app-{i:03d}"
    deps = f"\n  dependsOn: [{{name: app-{i - 10:03d}}}]" if i >= 10 else ""
    kustomizations.append(f"""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: {name}, namespace: flux-system}}
spec:
  interval: 10m{deps}
  path: ./apps/{name}
  prune: true
  sourceRef: {{kind: GitRepository, name: flux-system}}
  targetNamespace: {name}
  postBuild:
    substituteFrom: [{{kind: ConfigMap, name: cluster-vars}}]
""")
    docs = [f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n"]
    if i < 150:
        docs.append(f"""apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {{name: {name}}}
spec: {{interval: 1h, url: https://charts.example.org/{name}}}
""")
        docs.append(f"""apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {{name: {name}}}
spec:
  interval: 30m
  chart:
    spec: {{chart: {name}, version: 1.x, sourceRef: {{kind: HelmRepository, name: {name}, namespace: {name}}}}}
  values: {{cluster: "${{CLUSTER}}", host: "{name}.${{DOMAIN}}"}}
""")
    while len(docs) < 25:
        n = len(docs)
        docs.append(f"""apiVersion: v1
kind: ConfigMap
metadata: {{name: {name}-config-{n}}}
data: {{cluster: "${{CLUSTER}}", index: "{n}", url: "https://{name}.${{DOMAIN}}/{n}"}}
""")
    resources += len(docs)
    write(f"{repo}/apps/{name}/resources.yaml", "---\n".join(docs))
    write(f"{repo}/apps/{name}/kustomization.yaml", "resources:\n- resources.yaml\n")
write(f"{repo}/clusters/bench/apps.yaml", "---\n".join(kustomizations))
with open(f"{repo}/../kubectl-every-path.sh", "w") as f:
    f.write("".join(f"kubectl kustomize {repo}/apps/app-{i:03d} >/dev/null\n" for i in range(200)))
    f.write(f"kubectl kustomize {repo}/clusters/bench >/dev/null\n")
PY
"$GITOPSCTL" validate --repo "$repo" >/dev/null 2>&1 || { echo "flux: the generated repository does not validate" >&2; "$GITOPSCTL" validate --repo "$repo" | head -5 >&2; }
bench_compare flux "$GITOPSCTL tree ks flux-system --deps --repo $repo" "kubectl kustomize $repo/clusters/bench"
# 201 kubectl runs per measurement: fewer runs keep the case under a few minutes.
BENCH_RUNS=${FLUX_BENCH_RUNS:-5} BENCH_WARMUP=1 \
  bench_compare flux "$GITOPSCTL validate --repo $repo" "sh $BENCH_OUT/kubectl-every-path.sh"
