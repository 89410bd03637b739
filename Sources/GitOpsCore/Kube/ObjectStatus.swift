/// Whether an object has settled, computed the way Flux's CLI (the fluxcd fork of kstatus) does:
/// generic rules for custom resources, rollout rules for workloads, and the few built-ins whose
/// readiness lives elsewhere (CRD `Established`, Namespace `Active`).
public enum ObjectStatus: Sendable, Equatable, CustomStringConvertible {
    case current(String)
    case inProgress(String)
    case failed(String)
    case terminating(String)
    case notFound

    public var description: String {
        switch self {
        case let .current(m): return "Current: \(m)"
        case let .inProgress(m): return "InProgress: \(m)"
        case let .failed(m): return "Failed: \(m)"
        case let .terminating(m): return "Terminating: \(m)"
        case .notFound: return "NotFound"
        }
    }

    public var message: String {
        switch self {
        case let .current(m), let .inProgress(m), let .failed(m), let .terminating(m): return m
        case .notFound: return "not found"
        }
    }

    /// Computes the status of `object` (nil: it does not exist).
    public static func of(_ object: KubeObject?) -> ObjectStatus {
        guard let object else { return .notFound }
        if object.isTerminating { return .terminating("\(object.kind) scheduled for deletion") }
        if let generation = object.generation, let observed = object.observedGeneration, observed != generation {
            return .inProgress("\(object.kind) generation is \(generation), but latest observed generation is \(observed)")
        }
        switch (object.groupVersionKind.group, object.kind) {
        case ("apps", "Deployment"): return deployment(object)
        case ("apps", "StatefulSet"): return statefulSet(object)
        case ("apps", "DaemonSet"): return daemonSet(object)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): return crd(object)
        case ("", "Namespace"):
            let phase = object.json.at("status.phase")?.stringValue ?? ""
            return phase == "Active" || phase.isEmpty ? .current("Namespace is Active") : .inProgress("Namespace is \(phase)")
        default: return generic(object)
        }
    }

    // kstatus order: Reconciling=True → InProgress; Stalled=True → Failed; then Ready.
    static func generic(_ object: KubeObject) -> ObjectStatus {
        if let reconciling = object.condition("Reconciling"), reconciling.status == .true {
            return .inProgress(reconciling.message.isEmpty ? reconciling.reason : reconciling.message)
        }
        if let stalled = object.condition("Stalled"), stalled.status == .true {
            return .failed(stalled.message.isEmpty ? stalled.reason : stalled.message)
        }
        guard let ready = object.condition("Ready") else { return .current("Resource is current") }
        switch ready.status {
        case .true: return .current(ready.message.isEmpty ? "Resource is Ready" : ready.message)
        case .false, .unknown: return .inProgress(ready.message.isEmpty ? ready.reason : ready.message)
        }
    }

    private static func int(_ object: KubeObject, _ path: String) -> Int {
        object.json.at(path)?.intValue ?? 0
    }

    private static func deployment(_ object: KubeObject) -> ObjectStatus {
        let wanted = object.json.at("spec.replicas")?.intValue ?? 1
        let updated = int(object, "status.updatedReplicas"), ready = int(object, "status.readyReplicas")
        let available = int(object, "status.availableReplicas"), total = int(object, "status.replicas")
        if let progressing = object.condition("Progressing"), progressing.reason == "ProgressDeadlineExceeded" {
            return .failed(progressing.message)
        }
        if updated < wanted { return .inProgress("Updated: \(updated)/\(wanted)") }
        if total > updated { return .inProgress("Pending termination: \(total - updated)") }
        if available < wanted { return .inProgress("Available: \(available)/\(wanted)") }
        if ready < wanted { return .inProgress("Ready: \(ready)/\(wanted)") }
        return .current("Deployment is available. Replicas: \(total)")
    }

    private static func statefulSet(_ object: KubeObject) -> ObjectStatus {
        let wanted = object.json.at("spec.replicas")?.intValue ?? 1
        let ready = int(object, "status.readyReplicas"), current = int(object, "status.currentReplicas")
        let updated = int(object, "status.updatedReplicas")
        if ready < wanted { return .inProgress("Ready: \(ready)/\(wanted)") }
        if let revision = object.json.at("status.updateRevision")?.stringValue,
           revision != object.json.at("status.currentRevision")?.stringValue {
            return .inProgress("Waiting for updated replicas: \(updated)/\(wanted)")
        }
        if current < wanted { return .inProgress("Current: \(current)/\(wanted)") }
        return .current("All replicas scheduled as expected. Replicas: \(wanted)")
    }

    private static func daemonSet(_ object: KubeObject) -> ObjectStatus {
        let desired = int(object, "status.desiredNumberScheduled")
        let updated = int(object, "status.updatedNumberScheduled"), available = int(object, "status.numberAvailable")
        let ready = int(object, "status.numberReady")
        if object.json.at("status.desiredNumberScheduled") == nil { return .inProgress("Missing .status.desiredNumberScheduled") }
        if updated < desired { return .inProgress("Updated: \(updated)/\(desired)") }
        if available < desired { return .inProgress("Available: \(available)/\(desired)") }
        if ready < desired { return .inProgress("Ready: \(ready)/\(desired)") }
        return .current("All replicas scheduled as expected. Replicas: \(desired)")
    }

    private static func crd(_ object: KubeObject) -> ObjectStatus {
        if let names = object.condition("NamesAccepted"), names.status == .false { return .failed(names.message) }
        guard let established = object.condition("Established"), established.status == .true else {
            return .inProgress("CRD is not established")
        }
        return .current("CRD is established")
    }
}
