import Testing
@testable import GitOpsCore

/// The pieces of the local reconcile that need no server: reading the live inventory back,
/// classifying an apply, and the §7.5 switches.
@Suite struct LocalReconcileTests {
    static func object(_ json: String) throws -> KubeObject { KubeObject(try KubeJSON.parse(json)) }

    @Test(arguments: [
        InventoryEntry(group: "", version: "v1", kind: "ConfigMap", namespace: "apps", name: "settings"),
        InventoryEntry(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", namespace: "",
                       name: "gateways.gateway.networking.k8s.io"),
        InventoryEntry(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", namespace: "",
                       name: "system:aggregate-to-view"),
    ])
    func inventoryIdsReadBackToTheSameEntry(_ entry: InventoryEntry) throws {
        let live = try Self.object("""
            {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "x"},
             "status": {"inventory": {"entries": [{"id": "\(entry.id)", "v": "\(entry.version)"}]}}}
            """)
        #expect(LocalReconcileRun.inventory(live) == [entry])
    }

    @Test func malformedInventoryIdsAreSkipped() throws {
        let live = try Self.object(#"{"status": {"inventory": {"entries": [{"id": "apps_settings"}, {"v": "v1"}]}}}"#)
        #expect(LocalReconcileRun.inventory(live).isEmpty)
    }

    @Test func applyIsClassifiedLikeTheControllerLog() throws {
        let before = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "5"}, "data": {"k": "1"}}"#)
        let same = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "5"}, "data": {"k": "1"}}"#)
        let bumped = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "6", "managedFields": []}, "data": {"k": "1"}}"#)
        let changed = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "6"}, "data": {"k": "2"}}"#)
        #expect(LocalReconcileRun.action(nil, same, .persist) == .created)
        #expect(LocalReconcileRun.action(before, same, .persist) == .unchanged)
        #expect(LocalReconcileRun.action(before, bumped, .persist) == .unchanged)
        #expect(LocalReconcileRun.action(before, changed, .persist) == .configured)
        #expect(LocalReconcileRun.action(before, changed, .dryRun) == .configured)
    }

    @Test(arguments: [("labels", "Disabled", true), ("annotations", "disabled", true), ("annotations", "enabled", false)])
    func switchesAreLabelsOrAnnotationsCaseInsensitive(_ place: String, _ value: String, _ expected: Bool) throws {
        let object = try Self.object("""
            {"kind": "ConfigMap", "metadata": {"name": "a", "\(place)": {"kustomize.toolkit.fluxcd.io/prune": "\(value)"}}}
            """)
        #expect(LocalReconcileRun.switched(object, "prune", "disabled") == expected)
    }

    @Test func encryptedSecretErrorNamesTheRecipients() {
        let error = LocalReconcileError.encryptedSecret(object: "Secret/apps/token", kustomization: "flux-system/apps",
                                                        recipients: ["age1abc"])
        #expect(error.description.contains("Secret/apps/token is SOPS encrypted"))
        #expect(error.description.hasSuffix("it needs the age identity of age1abc"))
    }
}
