# bench/lib.sh: helpers for bench/cases/*.sh, sourced by scripts/bench (bash 4+).
#
# A case compares a gitopsctl command with the reference tool's command on the same input:
#
#   bench_compare LABEL GITOPSCTL_COMMAND REFERENCE_COMMAND
#
# Commands are shell command lines (run by sh; redirect input with <, build pipelines freely);
# their output is discarded. Each is run BENCH_WARMUP times unmeasured, then BENCH_RUNS times
# measured, with hyperfine when installed (it corrects for the shell's own start-up) and a
# bash $EPOCHREALTIME loop otherwise. One table row per comparison: medians in milliseconds,
# the ratio gitopsctl/reference (below 1 means gitopsctl is faster) and, when GNU time is at
# /usr/bin/time, each command's peak resident memory.
#
# Cases find the binary under test in $GITOPSCTL and a scratch directory in $BENCH_OUT
# (bench/out/<case>/, ignored by git) for generated inputs.

: "${BENCH_RUNS:=20}"
: "${BENCH_WARMUP:=3}"

bench_has() { command -v "$1" >/dev/null 2>&1; }

# "MEDIAN CPU" for a command line, in milliseconds: the median wall time and, with hyperfine,
# the mean user+system CPU time ("-" otherwise). On a shared machine CPU time is the steadier
# figure: wall time includes waiting for a core.
bench_measure_ms() {
  local command=$1
  if [ -z "${BENCH_NO_HYPERFINE:-}" ] && bench_has hyperfine; then
    local json
    json=$(mktemp)
    hyperfine --style none --warmup "$BENCH_WARMUP" --runs "$BENCH_RUNS" --export-json "$json" \
      -- "$command" >/dev/null 2>&1 || { rm -f "$json"; echo "failed -"; return 1; }
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.2f %.2f" % (r["median"] * 1000, (r["user"] + r["system"]) * 1000))' "$json"
    rm -f "$json"
    return 0
  fi
  local i start end
  local -a samples=()
  for ((i = 0; i < BENCH_WARMUP; i++)); do sh -c "$command" >/dev/null 2>&1 || { echo "failed -"; return 1; }; done
  for ((i = 0; i < BENCH_RUNS; i++)); do
    start=$EPOCHREALTIME
    sh -c "$command" >/dev/null 2>&1 || { echo "failed -"; return 1; }
    end=$EPOCHREALTIME
    samples+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
  done
  printf '%s\n' "${samples[@]}" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.2f -\n", v[(NR + 1) / 2]; else printf "%.2f -\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Peak resident set size of one run, in MiB, or "-" without GNU time.
bench_peak_rss_mib() {
  [ -x /usr/bin/time ] || { echo "-"; return 0; }
  local file out
  file=$(mktemp)
  /usr/bin/time -f '%M' -o "$file" sh -c "$1" >/dev/null 2>&1 || true
  out=$(tail -n 1 "$file")
  rm -f "$file"
  case $out in
    ''|*[!0-9]*) echo "-" ;;
    *) awk -v k="$out" 'BEGIN { printf "%.1f", k / 1024 }' ;;
  esac
}

bench_header() {
  printf '%-10s %-30s %-30s %8s %8s %6s %8s %8s %8s %8s\n' \
    CASE GITOPSCTL REFERENCE "OURS ms" "REF ms" RATIO "OURS cpu" "REF cpu" "OURS MiB" "REF MiB"
}

# Shortens a command line for the table: the binary path becomes "gitopsctl".
bench_label() {
  local text=${1//"$GITOPSCTL"/gitopsctl}
  [ "${#text}" -le 30 ] && { printf '%s' "$text"; return; }
  printf '%s…' "${text:0:29}"
}

bench_compare() {
  local label=$1 ours=$2 reference=$3
  local first=${reference%% *}
  if ! bench_has "$first"; then
    printf '%-10s %-30s %-30s %s\n' "$label" "$(bench_label "$ours")" "$(bench_label "$reference")" \
      "skipped: $first not installed"
    return 0
  fi
  local ours_ms ours_cpu ref_ms ref_cpu ratio ours_rss ref_rss
  read -r ours_ms ours_cpu <<<"$(bench_measure_ms "$ours" || true)"
  read -r ref_ms ref_cpu <<<"$(bench_measure_ms "$reference" || true)"
  if [ "$ours_ms" = failed ] || [ "$ref_ms" = failed ]; then
    ratio="-"
  else
    ratio=$(awk -v a="$ours_ms" -v b="$ref_ms" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  fi
  ours_rss=$(bench_peak_rss_mib "$ours")
  ref_rss=$(bench_peak_rss_mib "$reference")
  printf '%-10s %-30s %-30s %8s %8s %6s %8s %8s %8s %8s\n' "$label" "$(bench_label "$ours")" \
    "$(bench_label "$reference")" "$ours_ms" "$ref_ms" "$ratio" "${ours_cpu:--}" "${ref_cpu:--}" "$ours_rss" "$ref_rss"
}
