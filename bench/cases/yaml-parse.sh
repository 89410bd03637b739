#!/usr/bin/env bash
# yaml-parse: parse a generated 10 MB multi-document manifest stream with
# `gitopsctl debug parse-yaml` and with PyYAML's C loader (yaml.CSafeLoader).
# Targets (issue 3): gitopsctl at least 2x faster, peak memory under 6x the file size.
# Two rows, each side in the same mode: "stream" (documents one at a time) and "whole" (every
# document held at once).
#
# Sourced by scripts/bench (which sets GITOPSCTL), or run directly:
#   bench/cases/yaml-parse.sh [path/to/gitopsctl]
# It measures on its own (it needs peak memory of the parse alone): one warm-up, then the
# median of RUNS (or BENCH_RUNS) runs of each side.

yaml_parse_case() {
    local bin="${GITOPSCTL:-${1:-.build/release/gitopsctl}}"
    local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    local out="$root/bench/out"
    local input="$out/yaml-parse-10mb.yaml"
    local runs="${RUNS:-${BENCH_RUNS:-5}}"
    mkdir -p "$out"

    if [ ! -s "$input" ]; then
        python3 - "$input" <<'PY'
import sys
docs, size, i = [], 0, 0
while size < 10_000_000:
    i += 1
    doc = f"""---
# deployment {i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  labels:
    app.kubernetes.io/name: app-{i}
    app.kubernetes.io/part-of: platform
  annotations:
    description: "Generated workload number {i} for the benchmark"
spec:
  replicas: {i % 5 + 1}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-{i}
    spec:
      containers:
      - name: main
        image: ghcr.io/example/app-{i}:v1.{i % 30}.0
        args: ["--port=8080", "--verbose"]
        ports:
        - containerPort: 8080
          protocol: TCP
        env:
        - name: LOG_LEVEL
          value: info
        - name: FEATURE_FLAG
          value: "true"
        resources:
          limits: {{cpu: 500m, memory: 128Mi}}
        command:
        - /bin/sh
        - -c
        - |
          echo starting
          exec /app --id {i}
"""
    docs.append(doc)
    size += len(doc)
open(sys.argv[1], "w").write("".join(docs))
PY
    fi

    # Prints "<seconds> <peak KB>" for one run of the command.
    measure() {
        python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(f"{elapsed:.4f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
    }
    median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

    local size_kb=$(( $(wc -c < "$input") / 1024 ))

    # One comparison: LABEL, then our command and PyYAML's, each a whole argv after "--".
    compare() {
        local label=$1; shift
        local -a ours=() theirs=()
        while [ "$1" != "--" ]; do ours+=("$1"); shift; done
        shift
        theirs=("$@")
        measure "${ours[@]}" >/dev/null
        measure "${theirs[@]}" >/dev/null
        local ours_runs theirs_runs
        ours_runs="$(for _ in $(seq "$runs"); do measure "${ours[@]}"; done)"
        theirs_runs="$(for _ in $(seq "$runs"); do measure "${theirs[@]}"; done)"
        local ours_s theirs_s ours_kb theirs_kb
        ours_s="$(echo "$ours_runs" | cut -d' ' -f1 | median)"
        theirs_s="$(echo "$theirs_runs" | cut -d' ' -f1 | median)"
        ours_kb="$(echo "$ours_runs" | cut -d' ' -f2 | sort -n | tail -1)"
        theirs_kb="$(echo "$theirs_runs" | cut -d' ' -f2 | sort -n | tail -1)"
        awk -v l="$label" -v o="$ours_s" -v t="$theirs_s" -v m="$ours_kb" -v pm="$theirs_kb" -v s="$size_kb" 'BEGIN {
            speed = t / o; mem = m / s
            printf "yaml-parse %-6s gitopsctl %.3fs  PyYAML CSafeLoader %.3fs  speed-up %.1fx (target >= 2x: %s)\n",
                   l, o, t, speed, (speed >= 2 ? "met" : "MISSED")
            printf "yaml-parse %-6s peak memory gitopsctl %d KB, PyYAML %d KB, for a %d KB file = %.1fx vs %.1fx (target < 6x: %s)\n",
                   l, m, pm, s, mem, pm / s, (mem < 6 ? "met" : "MISSED")
        }'
    }

    # stream: each document is handed over when complete and then dropped, as commands that
    # read manifest streams work (and as PyYAML's load_all generator does when iterated).
    compare stream "$bin" debug parse-yaml "$input" -- \
        python3 -c 'import sys, yaml
for _ in yaml.load_all(open(sys.argv[1], "rb"), Loader=yaml.CSafeLoader): pass' "$input"
    # whole: every document held at once (ours keeps positions, styles, comments and the source
    # bytes for surgical edits; PyYAML keeps plain Python objects).
    compare whole "$bin" debug parse-yaml --whole "$input" -- \
        python3 -c 'import sys, yaml; list(yaml.load_all(open(sys.argv[1], "rb"), Loader=yaml.CSafeLoader))' "$input"
}

# Run directly with an optional binary argument, or sourced by scripts/bench (GITOPSCTL set).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    yaml_parse_case "$@"
else
    yaml_parse_case
fi
