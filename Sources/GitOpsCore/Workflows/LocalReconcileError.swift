/// Why `reconcile ks --local` stopped, naming the Kustomization and the objects concerned.
public enum LocalReconcileError: UserFacingError, Equatable {
    case build(String)
    case cluster(KubeError)
    /// A SOPS Secret reached apply without an identity that opens it.
    case encryptedSecret(object: String, kustomization: String, recipients: [String])
    /// Kinds that neither the cluster nor this build's CRDs serve.
    case missingKinds(kustomization: String, kinds: [String])
    /// A stage failed part way: what reached the server and what did not.
    case applyFailed(kustomization: String, failed: [ObjectFailure], applied: [String], notApplied: [String])
    case healthCheckFailed(kustomization: String, reason: String)
    case dependencyCycle(kustomization: String)

    public var description: String {
        switch self {
        case let .build(message): return message
        case let .cluster(error): return error.description
        case let .encryptedSecret(object, kustomization, recipients):
            // kustomize-controller's wording, plus which identity would open the Secret.
            let needed = recipients.isEmpty ? "" : "; it needs the age identity of \(recipients.joined(separator: ", "))"
            return "Kustomization \(kustomization): \(object) is SOPS encrypted, configuring decryption is "
                + "required for this secret to be reconciled\(needed)"
        case let .missingKinds(kustomization, kinds):
            return "Kustomization \(kustomization): no CustomResourceDefinition in the cluster or in this build "
                + "serves \(kinds.joined(separator: ", ")); install the CRD (or apply its Kustomization) first"
        case let .applyFailed(kustomization, failed, applied, notApplied):
            return Self.failureLines(kustomization, failed)
                + "applied: \(applied.isEmpty ? "none" : applied.joined(separator: ", "))\n"
                + "not applied: \(notApplied.isEmpty ? "none" : notApplied.joined(separator: ", "))"
        case let .healthCheckFailed(kustomization, reason):
            return "Kustomization \(kustomization): health check failed: \(reason)"
        case let .dependencyCycle(kustomization):
            return "Kustomization \(kustomization): dependsOn forms a cycle"
        }
    }

    /// An RBAC denial says once, in the API server's words, who may not do what (`User "bob"
    /// cannot create resource "configmaps" …`) and lists the objects it stopped; any other
    /// failure is named per object.
    private static func failureLines(_ kustomization: String, _ failed: [ObjectFailure]) -> String {
        var denials: [(sentence: String, objects: [String])] = []
        var others: [String] = []
        for failure in failed {
            guard let sentence = failure.error.denial else {
                others.append("\(failure.reference): \(failure.error.description)")
                continue
            }
            if let index = denials.firstIndex(where: { $0.sentence == sentence }) {
                denials[index].objects.append(failure.reference)
            } else {
                denials.append((sentence, [failure.reference]))
            }
        }
        var lines = denials.map { "Kustomization \(kustomization): forbidden: \($0.sentence) (\($0.objects.joined(separator: ", ")))\n" }
        if !others.isEmpty { lines.append("Kustomization \(kustomization): apply failed: \(others.joined(separator: "; "))\n") }
        return lines.joined()
    }
}

/// One object a stage could not apply, and why.
public struct ObjectFailure: Sendable, Equatable {
    public var reference: String
    public var error: KubeError
}

