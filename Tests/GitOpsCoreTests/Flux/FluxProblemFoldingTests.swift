import Testing
@testable import GitOpsCore

/// A warning about one shared file, repeated for every Kustomization that reads it, becomes one
/// line naming them; errors and warnings that say different things stay as they are.
@Suite struct FluxProblemFoldingTests {
    let secret = FluxOrigin(file: "clusters/c/cluster-secrets.sops.yaml", at: YAMLMark(line: 1, column: 1, offset: 0))
    let rest = "variables from SOPS-encrypted Secret/cluster-secrets cannot be resolved without an age identity"

    func warning(_ object: String, _ message: String? = nil) -> FluxProblem {
        FluxProblem(.warning, .substituteFrom, at: secret, "\(object): \(message ?? rest)")
    }

    @Test func repeatsFoldIntoOneLineInPlaceOfTheFirst() {
        let error = FluxProblem(.dependsOn, at: nil, "Kustomization/flux-system/apps: dependency 'x' not found")
        let other = warning("Kustomization/flux-system/apps", "something else")
        let problems = [warning("Kustomization/flux-system/b"), error, warning("Kustomization/flux-system/a"), other,
                        warning("Kustomization/flux-system/d"), warning("Kustomization/flux-system/c")]
        let folded = FluxProblem.foldingRepeatedWarnings(problems)
        #expect(folded.map(\.message) == [
            "Kustomization/flux-system/a, Kustomization/flux-system/b, Kustomization/flux-system/c and 1 more: \(rest)",
            error.message, other.message,
        ])
        #expect(folded.first?.origin == secret)
    }

    @Test func aSingleWarningAndRepeatedErrorsStayAsTheyAre() {
        let errors = ["Kustomization/ns/a", "Kustomization/ns/b"].map {
            FluxProblem(.sops, at: secret, "\($0): file is not encrypted")
        }
        let problems = errors + [warning("Kustomization/ns/a")]
        #expect(FluxProblem.foldingRepeatedWarnings(problems) == problems)
    }
}
