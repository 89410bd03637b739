# Re-running bootstrap on the sample repository, already bootstrapped, without a cluster: parse
# the age key, regenerate the three flux-system files, check .sops.yaml, .gitignore and the
# work tree's status, commit nothing. No installed tool bootstraps offline, so the reference is
# the nearest work on the same files: git's status of the repository and a kustomize build of
# the flux-system directory.
repo="$BENCH_OUT/repo"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
key="$root/examples/demo-age-key.txt"
rm -rf "$repo"
cp -r "$root/examples/platform" "$repo"
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m "Initial commit"
args="--repo $repo --path clusters/production --url ssh://git@github.com/example-org/platform --age-key $key --no-apply --commit-author 'bench <bench@example.com>'"
sh -c "$GITOPSCTL bootstrap $args" 2>/dev/null
bench_compare bootstrap "$GITOPSCTL bootstrap $args" "git -C $repo status --porcelain && kubectl kustomize $repo/clusters/production/flux-system"
