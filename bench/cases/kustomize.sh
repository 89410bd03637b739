# Benchmark case (sourced by scripts/bench, see bench/lib.sh): `gitopsctl build` against
# `kubectl kustomize` (issue 6).
#   kust-repo: 200 kustomization directories, 5,000 resources, a third with patches and
#              generators; gitopsctl builds them all in one process (a root kustomization
#              listing every directory), kubectl kustomize runs once per directory.
#   kust-1000: one directory with 1,000 resources and patches, each tool once.
# kubectl needs about a minute per repo run, so this case uses few runs unless
# KUSTOMIZE_BENCH_RUNS says otherwise. Run alone: scripts/bench .build/release/gitopsctl kustomize

generate() {
python3 - "$BENCH_OUT" <<'PY'
import os, sys, shutil
out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)

def deployment(name, i):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  replicas: {1 + i % 3}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:1.{i}
          ports:
            - containerPort: 8080
              name: http
          env:
            - name: INDEX
              value: "{i}"
          envFrom:
            - configMapRef:
                name: settings
          resources:
            requests:
              cpu: 10m
              memory: 32Mi
"""

def service(name):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: http
"""

def configmap(name, i):
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
data:
  index: "{i}"
  description: configuration for {name}
"""

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

def app_dir(path, count, fancy, tag):
    docs, names = [], []
    for i in range(count):
        name = f"{tag}-{i}"
        kind = i % 3
        docs.append(deployment(name, i) if kind == 0 else service(name) if kind == 1 else configmap(name, i))
        names.append((kind, name))
    write(f"{path}/resources.yaml", "---\n".join(docs))
    k = "resources:\n  - resources.yaml\nnamespace: " + tag + "\ncommonLabels:\n  team: " + tag + "\n"
    if fancy:
        deploys = [n for kd, n in names if kd == 0]
        k += "namePrefix: p-\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - MODE=fast\n      - LEVEL=2\n"
        k += "images:\n  - name: registry.example.com/" + deploys[0] + "\n    newTag: '2.0'\n"
        k += "patches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /metadata/annotations\n        value: {patched: 'true'}\n"
        k += "  - path: patch.yaml\n"
        write(f"{path}/patch.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {deploys[0]}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: EXTRA
              value: "yes"
""")
    write(f"{path}/kustomization.yaml", k)

dirs = []
for d in range(200):
    path = f"{out}/repo/apps/app-{d:03d}"
    app_dir(path, 25, d % 3 == 0, f"a{d:03d}")
    dirs.append(f"apps/app-{d:03d}")
write(f"{out}/repo/kustomization.yaml", "resources:\n" + "".join(f"  - {d}\n" for d in dirs))
with open(f"{out}/dirs.txt", "w") as f:
    f.write("\n".join(f"{out}/repo/{d}" for d in dirs) + "\n")
app_dir(f"{out}/single", 1000, True, "s")
PY
}

BENCH_RUNS=${KUSTOMIZE_BENCH_RUNS:-3}
BENCH_WARMUP=1
generate
if ! bench_has kubectl; then
  printf '%-10s %s\n' kustomize "skipped: kubectl not installed"
else
  # Same output first: a benchmark of a wrong build means nothing.
  if ! diff <("$GITOPSCTL" build "$BENCH_OUT/single") <(kubectl kustomize "$BENCH_OUT/single" 2>/dev/null) >/dev/null; then
    echo "✗ kustomize: gitopsctl and kubectl kustomize print different output for $BENCH_OUT/single" >&2
    exit 1
  fi
  printf 'while read -r d; do kubectl kustomize "$d"; done < %s\n' "$BENCH_OUT/dirs.txt" > "$BENCH_OUT/kubectl-each.sh"
  bench_compare kust-repo "$GITOPSCTL build $BENCH_OUT/repo" "bash $BENCH_OUT/kubectl-each.sh"
  bench_compare kust-1000 "$GITOPSCTL build $BENCH_OUT/single" "kubectl kustomize $BENCH_OUT/single"
fi
