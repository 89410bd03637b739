import Foundation

/// One file a plan creates, changes or deletes, with its bytes before and after.
public struct FileChange: Sendable, Equatable {
    /// What happens to the file; the raw value is what `-o json` prints.
    public enum Action: String, Sendable {
        case create, modify, delete
    }

    /// Relative to the repository root.
    public var path: String
    public var action: Action
    public var before: [UInt8]?
    public var after: [UInt8]?
    /// Why, in a few words (`register acme`).
    public var reason: String

    static func create(_ path: String, _ bytes: [UInt8], _ reason: String) -> FileChange {
        FileChange(path: path, action: .create, before: nil, after: bytes, reason: reason)
    }

    static func modify(_ path: String, from before: [UInt8], to after: [UInt8], _ reason: String) -> FileChange {
        FileChange(path: path, action: .modify, before: before, after: after, reason: reason)
    }

    static func delete(_ path: String, _ bytes: [UInt8], _ reason: String) -> FileChange {
        FileChange(path: path, action: .delete, before: bytes, after: nil, reason: reason)
    }
}

/// What `tenant add` or `tenant remove` will do to the repository: the file changes in the
/// order they are applied, and notes for the user. Nothing is written until `apply`.
public struct TenantPlan: Sendable, Equatable {
    /// Which command made the plan.
    public enum Operation: String, Sendable {
        case add, remove
    }

    public var operation: Operation
    public var tenant: String
    public var layout: TenantsLayout
    public var changes: [FileChange]
    /// Things the user may have to do by hand (outside the files a tenant owns).
    public var warnings: [String]

    /// The commit message `--commit` uses.
    public var commitMessage: String {
        operation == .add ? "Add tenant \(tenant)" : "Remove tenant \(tenant)"
    }

    /// Every change as one unified diff, files in plan order.
    public func unifiedDiff(context: Int = 3) -> String {
        let diff = UnifiedDiff(context: context)
        return changes.map { change in
            diff.render(path: change.path,
                        old: change.before.map { String(decoding: $0, as: UTF8.self) },
                        new: change.after.map { String(decoding: $0, as: UTF8.self) })
        }.joined()
    }
}
