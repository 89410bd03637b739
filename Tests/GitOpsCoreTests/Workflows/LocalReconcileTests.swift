import Testing
@testable import GitOpsCore

/// The pieces of the local reconcile that need no server: reading the live inventory back,
/// drift and its diff, the §7.5 switches, kubectl metadata cleanup, and error wording.
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

    @Test func driftIsLabelsAnnotationsAndEverythingOutsideMetadataAndStatus() throws {
        let live = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "5", "managedFields": [{"manager": "x"}]}, "data": {"k": "1"}, "status": {"s": 1}}"#)
        let same = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "resourceVersion": "6"}, "data": {"k": "1"}}"#)
        let labelled = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "labels": {"l": "v"}}, "data": {"k": "1"}}"#)
        let changed = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "2"}}"#)
        #expect(!LocalDriftDiff.drifted(live: live, dryRun: same))
        #expect(LocalDriftDiff.drifted(live: live, dryRun: labelled))
        #expect(LocalDriftDiff.drifted(live: live, dryRun: changed))
    }

    @Test func secretDiffMasksValuesAsFluxDoes() throws {
        let live = try Self.object(#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "apps", "resourceVersion": "5"}, "data": {"same": "YQ==", "changed": "Yg==", "gone": "Yw=="}}"#)
        let dry = try Self.object(#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "apps", "resourceVersion": "5"}, "data": {"same": "YQ==", "changed": "eg==", "gone": "Yw==", "added": "ZA=="}}"#)
        let diff = LocalDriftDiff.render(live: live, dryRun: dry)
        #expect(diff.hasPrefix("--- a/Secret/apps/s\n+++ b/Secret/apps/s\n"))
        #expect(diff.contains(#"-    "changed": "*** (before)","#))
        #expect(diff.contains(#"+    "changed": "*** (after)","#))
        #expect(diff.contains(#"+    "added": "***""#))
        #expect(diff.contains(#"     "same": "***","#))
        for value in ["YQ==", "Yg==", "eg==", "ZA=="] { #expect(!diff.contains(value)) }
        #expect(!diff.contains("resourceVersion"))
    }

    @Test(arguments: [("labels", "Disabled", true), ("annotations", "disabled", true), ("annotations", "enabled", false),
                      ("annotations", "", false)])
    func switchesAreLabelsOrAnnotationsCaseInsensitive(_ place: String, _ value: String, _ expected: Bool) throws {
        let object = try Self.object("""
            {"kind": "ConfigMap", "metadata": {"name": "a", "\(place)": {"kustomize.toolkit.fluxcd.io/prune": "\(value)"}}}
            """)
        #expect(LocalApplySwitches.has(object, "prune", "disabled") == expected)
        #expect(LocalApplySwitches.keptFromPrune(object) == expected)
    }

    @Test func ssaSwitchesDecideSkipAndCleanup() throws {
        func annotated(_ value: String, uid: Bool = false) throws -> KubeObject {
            try Self.object("""
                {"kind": "ConfigMap", "metadata": {"name": "a", \(uid ? #""uid": "1", "# : "")"annotations": {"kustomize.toolkit.fluxcd.io/ssa": "\(value)"}}}
                """)
        }
        let plain = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "uid": "1"}}"#)
        #expect(LocalApplySwitches.excluded(desired: try annotated("ignore"), live: nil))
        #expect(LocalApplySwitches.excluded(desired: plain, live: try annotated("Ignore", uid: true)))
        #expect(!LocalApplySwitches.createOnly(desired: try annotated("IfNotPresent"), live: nil))
        #expect(LocalApplySwitches.createOnly(desired: try annotated("ifnotpresent"), live: plain))
        #expect(!LocalApplySwitches.createOnly(desired: plain, live: try annotated("IfNotPresent", uid: true)))
        #expect(LocalApplySwitches.merges(desired: try annotated("merge"), live: plain))
        #expect(!LocalApplySwitches.merges(desired: try annotated("Override"), live: plain))
        #expect(LocalApplySwitches.forced(desired: plain, live: nil, specForce: true))
    }

    @Test func cleanupFoldsKubectlFieldsIntoTheFieldManager() throws {
        let live = try Self.object("""
            {"kind": "ConfigMap", "metadata": {"name": "a",
             "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "keep": "1"},
             "managedFields": [
              {"manager": "kustomize-controller", "operation": "Apply", "fieldsV1": {"f:data": {"f:a": {}}}},
              {"manager": "kubectl-client-side-apply", "operation": "Update", "fieldsV1": {"f:data": {"f:b": {}}}},
              {"manager": "kubectl", "operation": "Update", "subresource": "status", "fieldsV1": {"f:status": {}}},
              {"manager": "helm", "operation": "Update", "fieldsV1": {"f:data": {"f:c": {}}}}]}}
            """)
        let operations = LocalApplyCleanup.patch(live, fieldManager: "kustomize-controller")
        #expect(operations.first == .object([("op", .string("remove")),
                                            ("path", .string("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"))]))
        let entries = try #require(operations.last?["value"]?.arrayValue)
        #expect(entries.map { $0["manager"]?.stringValue } == ["kubectl", "helm", "kustomize-controller"])
        #expect(entries.last?["fieldsV1"] == (try KubeJSON.parse(#"{"f:data": {"f:a": {}, "f:b": {}}}"#)))
        let untouched = try Self.object(#"{"kind": "ConfigMap", "metadata": {"name": "a", "managedFields": [{"manager": "helm", "operation": "Update"}]}}"#)
        #expect(LocalApplyCleanup.patch(untouched, fieldManager: "kustomize-controller").isEmpty)
    }

    @Test func immutableErrorsAreRecognisedAsSsaDoes() {
        func status(_ reason: String, _ message: String) -> KubeError {
            .api(APIStatus.decode(code: 422, body: Array(#"{"kind": "Status", "reason": "\#(reason)", "message": "\#(message)"}"#.utf8),
                                  request: "PATCH /x"))
        }
        #expect(LocalApplyPlanner.isImmutable(status("Invalid", "x")))
        #expect(LocalApplyPlanner.isImmutable(status("Conflict", "x")))
        #expect(LocalApplyPlanner.isImmutable(status("BadRequest", "spec.x: field is immutable")))
        #expect(!LocalApplyPlanner.isImmutable(status("Forbidden", "no")))
    }

    @Test func rbacDenialsAreOneLinePerDenial() {
        let sentence = #"User "bob" cannot create resource "configmaps" in API group "" in the namespace "apps""#
        func denied(_ name: String) -> ObjectFailure {
            let body = KubeJSON.object([("kind", .string("Status")), ("reason", .string("Forbidden")), ("code", .int(403)),
                                        ("message", .string("configmaps \"\(name)\" is forbidden: \(sentence)"))])
            return ObjectFailure(reference: "ConfigMap/apps/\(name)",
                                 error: .api(APIStatus.decode(code: 403, body: Array(body.serialized.utf8), request: "PATCH /x")))
        }
        let error = LocalReconcileError.applyFailed(kustomization: "flux-system/apps", failed: [denied("a"), denied("b")],
                                                    applied: ["Namespace/apps"], notApplied: ["ConfigMap/apps/a", "ConfigMap/apps/b"])
        #expect(error.description == """
            Kustomization flux-system/apps: forbidden: User "bob" cannot create resource "configmaps" in API group "" \
            in the namespace "apps" (ConfigMap/apps/a, ConfigMap/apps/b)
            applied: Namespace/apps
            not applied: ConfigMap/apps/a, ConfigMap/apps/b
            """)
    }

    @Test func encryptedSecretErrorNamesTheRecipients() {
        let error = LocalReconcileError.encryptedSecret(object: "Secret/apps/token", kustomization: "flux-system/apps",
                                                        recipients: ["age1abc"])
        #expect(error.description.contains("Secret/apps/token is SOPS encrypted"))
        #expect(error.description.hasSuffix("it needs the age identity of age1abc"))
    }
}
