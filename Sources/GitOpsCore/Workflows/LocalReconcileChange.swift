/// What one object went through in a local reconcile, printed like kustomize-controller's
/// apply log (`Kind/ns/name created`) or, in a dry run, like `flux diff ks` (`► Kind/ns/name drifted`).
public struct LocalReconcileChange: Sendable, Equatable {
    public enum Action: String, Sendable { case created, configured, unchanged, pruned, skipped }

    public var reference: String
    public var action: Action
    /// For a dry run of an object that exists and drifted: the live object against the dry-run result.
    public var diff: String?

    public init(reference: String, action: Action, diff: String? = nil) {
        self.reference = reference
        self.action = action
        self.diff = diff
    }

    public var line: String { "\(reference) \(action.rawValue)" }
    /// A skipped object (`ssa: Ignore`, `IfNotPresent`, `reconcile: disabled`) is no change, as in flux diff.
    public var isChange: Bool { action != .unchanged && action != .skipped }

    /// `flux diff ks`'s report: nothing for an unchanged object, the diff after a drifted one.
    public var dryRunReport: String? {
        let verb: String
        switch action {
        case .unchanged: return nil
        case .created: verb = "created"
        case .configured: verb = "drifted"
        case .pruned: verb = "deleted"
        case .skipped: verb = "skipped"
        }
        let head = "► \(reference) \(verb)\n"
        guard let diff, !diff.isEmpty else { return head }
        return head + "\n" + diff + "\n"
    }
}
