import Testing
@testable import GitOpsCore

private func object(_ text: String) throws -> KubeObject { KubeObject(try KubeJSON.parse(text)) }

@Suite("kstatus readers")
struct ObjectStatusTests {
    static let cases: [(String, String, ObjectStatus)] = [
        ("no conditions is current",
         #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","generation":1}}"#,
         .current("Resource is current")),
        ("deletionTimestamp is terminating",
         #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","deletionTimestamp":"2026-01-01T00:00:00Z"}}"#,
         .terminating("ConfigMap scheduled for deletion")),
        ("stale observedGeneration is in progress",
         #"{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"k","generation":3},"status":{"observedGeneration":2,"conditions":[{"type":"Ready","status":"True","message":"Applied"}]}}"#,
         .inProgress("Kustomization generation is 3, but latest observed generation is 2")),
        ("Reconciling=True wins over Ready",
         #"{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"k","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Reconciling","status":"True","reason":"ProgressingWithRetry","message":"retrying"},{"type":"Ready","status":"False","message":"build failed"}]}}"#,
         .inProgress("retrying")),
        ("Stalled=True fails",
         #"{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"k","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Stalled","status":"True","message":"bad CEL"},{"type":"Ready","status":"False","message":"bad CEL"}]}}"#,
         .failed("bad CEL")),
        ("Ready=False without Stalled keeps waiting",
         #"{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"h","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","message":"install retries exhausted"}]}}"#,
         .inProgress("install retries exhausted")),
        ("Ready=True is current",
         #"{"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"GitRepository","metadata":{"name":"g","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","message":"stored artifact"}]}}"#,
         .current("stored artifact")),
        ("deployment rolling out",
         #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":4,"updatedReplicas":2,"readyReplicas":3,"availableReplicas":3}}"#,
         .inProgress("Updated: 2/3")),
        ("deployment with old pods terminating",
         #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":4,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3}}"#,
         .inProgress("Pending termination: 1")),
        ("deployment past its progress deadline",
         #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"d-1\" has timed out progressing."}]}}"#,
         .failed("ReplicaSet \"d-1\" has timed out progressing.")),
        ("deployment available",
         #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2}}"#,
         .current("Deployment is available. Replicas: 2")),
        ("statefulset waiting for the new revision",
         #"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"currentReplicas":1,"updatedReplicas":1,"currentRevision":"s-1","updateRevision":"s-2"}}"#,
         .inProgress("Waiting for updated replicas: 1/2")),
        ("statefulset done",
         #"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"currentReplicas":2,"updatedReplicas":2,"currentRevision":"s-2","updateRevision":"s-2"}}"#,
         .current("All replicas scheduled as expected. Replicas: 2")),
        ("daemonset not yet available everywhere",
         #"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"ds","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":2,"numberReady":2}}"#,
         .inProgress("Available: 2/3")),
        ("daemonset done",
         #"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"ds","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3,"numberReady":3}}"#,
         .current("All replicas scheduled as expected. Replicas: 3")),
        ("CRD not established",
         #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"x","generation":1},"status":{"conditions":[{"type":"Established","status":"False"}]}}"#,
         .inProgress("CRD is not established")),
        ("CRD names rejected",
         #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"x","generation":1},"status":{"conditions":[{"type":"NamesAccepted","status":"False","message":"\"ks\" is already in use"}]}}"#,
         .failed("\"ks\" is already in use")),
        ("namespace terminating phase",
         #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"},"status":{"phase":"Terminating"}}"#,
         .inProgress("Namespace is Terminating")),
        ("namespace active",
         #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"},"status":{"phase":"Active"}}"#,
         .current("Namespace is Active")),
    ]

    @Test(arguments: cases)
    func computesStatus(_ testCase: (String, String, ObjectStatus)) throws {
        #expect(ObjectStatus.of(try object(testCase.1)) == testCase.2, "\(testCase.0)")
    }

    @Test func missingObjectIsNotFound() {
        #expect(ObjectStatus.of(nil) == .notFound)
        #expect(WaitVerdict.gone(nil) == .done)
    }

    @Test func conditionReader() throws {
        let ks = try object(#"{"kind":"Kustomization","metadata":{"name":"k"},"status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"Progressing","message":"Reconciliation in progress","observedGeneration":4}]}}"#)
        #expect(ks.condition("Ready") == Condition(type: "Ready", status: .unknown, reason: "Progressing",
                                                   message: "Reconciliation in progress", observedGeneration: 4))
        #expect(ks.condition("Healthy") == nil)
    }

    @Test(arguments: [
        ("main@sha1:696f056df216eea4f9401adbee0ff744d4df390f", "main@sha1:696f056d"),
        ("sha256:" + String(repeating: "ab", count: 32), "sha256:abababab"),
        ("short 696f056d stays", "short 696f056d stays"),
        ("UPPER 696F056DF216EEA4F9401ADBEE0FF744D4DF390F stays", "UPPER 696F056DF216EEA4F9401ADBEE0FF744D4DF390F stays"),
    ])
    func hexRunsAreShortened(_ pair: (String, String)) {
        #expect(FluxStatusRow.shortenHashes(pair.0) == pair.1)
    }

    @Test(arguments: ["ready", "=true", "ready=", "a=b=c"])
    func malformedStatusSelectors(_ text: String) {
        #expect(throws: KubeError.invalidStatusSelector(text)) { _ = try StatusSelector(parsing: text) }
    }
}
