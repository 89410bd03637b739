/// One finding of `validate` (and of repository discovery): what is wrong, where, and which
/// check found it. Errors fail the gate; warnings are shown but do not.
public struct FluxProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    /// The check's stable name, for `-o json` consumers.
    public enum Check: String, Sendable {
        case yaml, schema, build, dependsOn, sourceRef, valuesFrom, substituteFrom, cycle, duplicate, sops, path, substitution
    }

    public var severity: Severity
    public var check: Check
    public var origin: FluxOrigin?
    public var message: String

    /// An error found by `check`.
    public init(_ check: Check, at origin: FluxOrigin?, _ message: String) {
        self.init(.error, check, at: origin, message)
    }

    public init(_ severity: Severity, _ check: Check, at origin: FluxOrigin?, _ message: String) {
        self.severity = severity
        self.check = check
        self.origin = origin
        self.message = message
    }

    /// `file:line:col: message` (the form editors and CI annotators jump to).
    public var description: String {
        guard let origin else { return message }
        return "\(origin): \(message)"
    }
}
