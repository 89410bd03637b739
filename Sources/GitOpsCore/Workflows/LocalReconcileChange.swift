/// What one object went through in a local reconcile, printed like kustomize-controller's
/// apply log (`Kind/ns/name created`).
public struct LocalReconcileChange: Sendable, Equatable {
    public enum Action: String, Sendable { case created, configured, unchanged, pruned }

    public var reference: String
    public var action: Action

    public var line: String { "\(reference) \(action.rawValue)" }
    public var isChange: Bool { action != .unchanged }
}
