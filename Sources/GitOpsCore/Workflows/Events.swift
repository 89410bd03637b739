/// One step a workflow reports while it runs. The CLI renders them as flux's `► ✔ ✗ ◎` lines on
/// stderr (or JSON lines); nothing in GitOpsCore prints.
public enum WorkflowEvent: Sendable, Equatable {
    /// Starting an action (`► annotating Kustomization apps in flux-system namespace`).
    case action(String)
    /// A step finished (`✔ Kustomization annotated`).
    case success(String)
    /// A wait starts (`◎ waiting for Kustomization reconciliation`).
    case waiting(String)
    /// The object's current condition message changed while waiting (a status line, not a log line).
    case progress(String)
    /// A step failed but the workflow goes on (one object of several).
    case failure(String)
    case warning(String)
}

/// Where a workflow sends its events; called from concurrent tasks.
public typealias WorkflowEvents = @Sendable (WorkflowEvent) -> Void
