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

extension FluxProblem {
    /// Warnings that differ only in the Flux object they name (`Kustomization/a/b: rest`), one
    /// per Kustomization reading the same file, folded into one line that names them all — a
    /// shared encrypted `substituteFrom` Secret otherwise repeats its warning for every user.
    /// Errors are kept one per object: each is something to fix there.
    public static func foldingRepeatedWarnings(_ problems: [FluxProblem]) -> [FluxProblem] {
        struct Shape: Hashable {
            var check: Check
            var origin: String
            var rest: Substring
        }
        func split(_ problem: FluxProblem) -> (object: Substring, shape: Shape)? {
            guard problem.severity == .warning, let colon = problem.message.range(of: ": ") else { return nil }
            let object = problem.message[..<colon.lowerBound]
            guard object.hasPrefix("Kustomization/") || object.hasPrefix("HelmRelease/") else { return nil }
            return (object, Shape(check: problem.check, origin: problem.origin?.description ?? "",
                                  rest: problem.message[colon.upperBound...]))
        }
        var objects: [Shape: [Substring]] = [:]
        for problem in problems {
            if let (object, shape) = split(problem) { objects[shape, default: []].append(object) }
        }
        var emitted: Set<Shape> = []
        return problems.compactMap { problem in
            guard let (_, shape) = split(problem), let names = objects[shape], names.count > 1 else { return problem }
            guard emitted.insert(shape).inserted else { return nil }
            let sorted = names.sorted()
            let shown = sorted.prefix(3).joined(separator: ", ")
            let more = names.count > 3 ? " and \(names.count - 3) more" : ""
            var folded = problem
            folded.message = "\(shown)\(more): \(shape.rest)"
            return folded
        }
    }
}
