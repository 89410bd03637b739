import GitOpsCore

/// `gitopsctl validate`: one line per problem on stdout (`file:line:col: message`), a summary on
/// stderr, exit 1 when any error was found. Warnings are printed but do not fail the gate.
enum ValidateLocal {
    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let format = try invocation.outputFormat()
        // kustomize-controller runs substitution strictly by default since v1.9, so the gate does too.
        let repo = try LocalRepository.load(invocation, strictSubstitute: true)
        let problems = ValidateRepository(repo: repo).problems()
        let errors = problems.filter { $0.severity == .error }.count
        try invocation.output.render(ValidationReport(problems: problems), as: format)
        if errors == 0 {
            invocation.reporter.success("\(plural(repo.kustomizations.count, "Kustomization")), "
                + "\(plural(repo.helmReleases.count, "HelmRelease")): no problems found")
            return 0
        }
        invocation.reporter.failure("\(plural(errors, "problem")) found")
        return 1
    }

    private static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}

/// The problems as text lines or as `{"valid": …, "problems": [{severity, check, file, line, column, message}]}`.
struct ValidationReport: Renderable {
    var problems: [FluxProblem]

    func humanText(color: Bool) -> String {
        FluxProblem.foldingRepeatedWarnings(problems)
            .map { ($0.severity == .warning ? "warning: " : "") + $0.description + "\n" }.joined()
    }

    var document: Document {
        [
            "valid": .bool(!problems.contains { $0.severity == .error }),
            "problems": .array(problems.map { problem in
                [
                    "severity": .string(problem.severity.rawValue), "check": .string(problem.check.rawValue),
                    "file": problem.origin.map { .string($0.file) } ?? .null,
                    "line": problem.origin?.at.map { .integer($0.line) } ?? .null,
                    "column": problem.origin?.at.map { .integer($0.column) } ?? .null,
                    "message": .string(problem.message),
                ]
            }),
        ]
    }
}
