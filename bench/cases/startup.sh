# Start-up: the cost of running the tool at all (dynamic loading, runtime and command-tree
# set-up), against the tools gitopsctl replaces. Target: gitopsctl median ≤ 10 ms (release).
bench_compare startup "$GITOPSCTL version" "kubectl version --client"
bench_compare startup "$GITOPSCTL version" "age --version"
bench_compare startup "$GITOPSCTL help reconcile ks" "kubectl help"
