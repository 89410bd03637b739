#!/usr/bin/env bash
# Benchmark: `gitopsctl build` against `kubectl kustomize` (issue 6).
#  1. repo:   200 kustomization directories, 5,000 resources, a third with patches and
#             generators; gitopsctl builds them all in one process (a root kustomization
#             listing every directory), kubectl kustomize runs once per directory.
#  2. single: one directory with 1,000 resources and patches, both tools once.
# Prints medians of several runs after a warm-up, the ratio, and gitopsctl's peak RSS.
# Usage: bench/cases/kustomize.sh [path/to/gitopsctl] (default .build/release/gitopsctl)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:-${GITOPSCTL:-$here/.build/release/gitopsctl}}
out=$here/bench/out/kustomize
runs=${BENCH_RUNS:-5}

generate() {
python3 - "$out" <<'PY'
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

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Wall-clock seconds of a command, repeated $runs times after one warm-up; prints the median.
time_median() {
    "$@" >/dev/null 2>&1
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
        echo "$end - $start" | bc
    done | median
}

kubectl_each() { while read -r d; do kubectl kustomize "$d"; done < "$out/dirs.txt"; }

peak_rss_mb() {
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}'
}

report() {
    local label=$1 ours=$2 theirs=$3 rss=$4
    echo "$label: gitopsctl ${ours}s, kubectl kustomize ${theirs}s, $(echo "scale=1; $theirs / $ours" | bc)x faster, peak RSS ${rss} MB"
}

generate
# Same output first: a benchmark of a wrong build means nothing.
diff <("$bin" build "$out/single") <(kubectl kustomize "$out/single") >/dev/null || { echo "single: outputs differ" >&2; exit 1; }
ours=$(time_median "$bin" build "$out/repo")
theirs=$(time_median kubectl_each)
report "repo (200 dirs, 5000 resources)" "$ours" "$theirs" "$(peak_rss_mb "$bin" build "$out/repo")"
ours=$(time_median "$bin" build "$out/single")
theirs=$(time_median kubectl kustomize "$out/single")
report "single (1000 resources, patches)" "$ours" "$theirs" "$(peak_rss_mb "$bin" build "$out/single")"
