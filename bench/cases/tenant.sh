# Tenants in a repository with 200 of them (copies of the sample tenant, registered in
# tenants/kustomization.yaml). No tool plans a Capsule tenant, so the reference is the nearest
# work on the same files: kustomize building one tenant, and building all of them (what
# `tenant list` must read). `tenant add --dry-run` parses the registration, .sops.yaml and the
# tenant list, emits every file and renders the diff.
repo="$BENCH_OUT/repo"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rm -rf "$repo"
cp -r "$root/examples/platform" "$repo"
for i in $(seq -w 1 200); do
  cp -r "$repo/tenants/xonery" "$repo/tenants/t$i"
  find "$repo/tenants/t$i" -name "*.yaml" -exec sed -i "s/xonery/t$i/g" {} +
  echo "  - t$i" >> "$repo/tenants/kustomization.yaml"
done
bench_compare tenant "$GITOPSCTL tenant add acme --repo $repo --owner User:a --gateway-host a.example.com --issuer le --apps-repo https://git.example.com/a --dry-run" "kubectl kustomize $repo/tenants/xonery"
bench_compare tenant "$GITOPSCTL tenant list --repo $repo" "kubectl kustomize $repo/tenants"
