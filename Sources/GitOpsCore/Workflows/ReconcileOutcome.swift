/// Where a requested reconciliation stands, judged from the object as flux2's `isObjectReadyFunc`
/// and kstatus do, plus gitopsctl's prompt failure: once the controller has handled the request
/// and observed the generation, `Ready=False` is the run's result, not something to wait out.
enum ReconcileOutcome: Equatable {
    case pending(String)
    case succeeded
    case failed(String)
    case stalled(String)
    case undetermined

    /// `token` is the requestedAt value sent (nil when waiting for a new generation, as `resume`
    /// does); `waitForRetry` keeps flux's behaviour of waiting through failed attempts.
    static func judge(_ object: KubeObject?, token: String?, waitForRetry: Bool) -> ReconcileOutcome {
        guard let object else { return .failed("the object was deleted") }
        let ready = object.condition("Ready")
        if let token, object.json.at("status.lastHandledReconcileAt")?.stringValue != token {
            return .pending(ready?.message.nonEmpty ?? "waiting for the controller to handle the request")
        }
        if token == nil, !generationObserved(object) {
            return .pending(ready?.message.nonEmpty ?? "waiting for generation \(object.generation ?? 0) to be observed")
        }
        if let observed = object.observedGeneration, let generation = object.generation, observed != generation {
            return .pending("\(object.kind) generation is \(generation), but latest observed generation is \(observed)")
        }
        if let stalled = object.condition("Stalled"), stalled.status == .true { return .stalled(stalled.message) }
        if let ready, ready.status == .false, !waitForRetry { return .failed(ready.message) }
        if let reconciling = object.condition("Reconciling"), reconciling.status == .true {
            return .pending(reconciling.message.nonEmpty ?? ready?.message ?? "reconciling")
        }
        guard let ready else { return .undetermined }
        return ready.status == .true ? .succeeded : .pending(ready.message.nonEmpty ?? ready.reason)
    }

    /// flux2 resume's rule: the Ready condition's own observedGeneration when it carries one,
    /// else the status's, must have caught up with `metadata.generation`.
    static func generationObserved(_ object: KubeObject) -> Bool {
        guard let generation = object.generation, let observed = object.observedGeneration, observed >= 1 else { return false }
        if let fromReady = object.condition("Ready")?.observedGeneration, fromReady != 0 { return fromReady == generation }
        return observed == generation
    }

    var isPending: Bool { if case .pending = self { return true }; return false }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
