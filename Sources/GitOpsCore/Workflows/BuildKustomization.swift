/// `gitopsctl build ks NAME`: the objects Flux would apply for one Kustomization — kustomize
/// build with the Flux overlay, postBuild substitution, the owner labels and `commonMetadata`
/// (flux2 cmd/flux/build_kustomization.go) — with SOPS Secrets decrypted only when asked.
public enum BuildKustomization {
    public enum Secrets: Sendable {
        case keepEncrypted
        case decrypt(any SopsDecrypting)
    }

    public static func objects(_ repo: FluxRepo, name: String, namespace: String? = nil,
                               secrets: Secrets) throws(FluxError) -> [YAMLNode] {
        guard let kustomization = repo.kustomization(named: name, namespace: namespace) else {
            throw .kustomizationNotFound(name: name, namespace: namespace)
        }
        if repo.external.contains(kustomization.key) {
            throw .buildFailed(object: kustomization.key.description, path: kustomization.path,
                               reason: "its source \(kustomization.sourceRef.key) is not this checkout")
        }
        guard let built = repo.manifests[kustomization.key] else {
            let reason = repo.problems.first { $0.message.contains(kustomization.key.description) }?.description
                ?? "it was not built"
            throw .buildFailed(object: kustomization.key.description, path: kustomization.path, reason: reason)
        }
        var result: [YAMLNode] = []
        for var object in built {
            if case let .decrypt(decryptor) = secrets, kustomization.decrypts, object["kind"]?.scalar == "Secret",
               !Self.decryptionDisabled(object) {
                object = try decrypted(object, with: decryptor, in: repo, for: kustomization)
            }
            label(&object, kustomization)
            // flux build prints what kustomize gives: objects without the files' comments.
            result.append(PostBuildSubstitution.withoutComments(object))
        }
        return result
    }

    /// A Secret as the controller decrypts it: the whole object when it carries `sops.mac`,
    /// otherwise each `data` value that is itself a SOPS document.
    private static func decrypted(_ object: YAMLNode, with decryptor: any SopsDecrypting, in repo: FluxRepo,
                                  for kustomization: FluxKustomization) throws(FluxError) -> YAMLNode {
        guard SopsObject.isEncrypted(object) else {
            do {
                return try SopsNestedDocument.decryptingData(of: object, with: decryptor)
            } catch let .decryptionUnavailable(secret, reason) {
                throw .decryptionUnavailable(object: kustomization.key.description, reason: "\(secret): \(reason)")
            }
        }
        do {
            let origin = repo.files.origin(kind: "Secret", name: object["metadata"]?["name"]?.scalar ?? "",
                                           namespace: object["metadata"]?["namespace"]?.scalar)
            return try decryptor.decrypt(object, file: origin.map { repo.root + "/" + $0.file } ?? "")
        } catch {
            throw .decryptionUnavailable(object: kustomization.key.description, reason: "\(error)")
        }
    }

    /// `kustomize.toolkit.fluxcd.io/decrypt: disabled` (any case) opts one object out.
    static func decryptionDisabled(_ object: YAMLNode) -> Bool {
        object["metadata"]?["annotations"]?["kustomize.toolkit.fluxcd.io/decrypt"]?.scalar?.lowercased() == "disabled"
    }

    /// The owner labels every applied object gets, then `commonMetadata`, overriding.
    private static func label(_ object: inout YAMLNode, _ kustomization: FluxKustomization) {
        var metadata = object["metadata"] ?? YAMLNode(mapping: [])
        var labels = metadata["labels"] ?? YAMLNode(mapping: [])
        labels.set("kustomize.toolkit.fluxcd.io/name", YAMLNode(string: kustomization.key.name))
        labels.set("kustomize.toolkit.fluxcd.io/namespace", YAMLNode(string: kustomization.key.namespace))
        for (key, value) in kustomization.commonLabels { labels.set(key, YAMLNode(string: value)) }
        metadata.set("labels", labels)
        if !kustomization.commonAnnotations.isEmpty {
            var annotations = metadata["annotations"] ?? YAMLNode(mapping: [])
            for (key, value) in kustomization.commonAnnotations { annotations.set(key, YAMLNode(string: value)) }
            metadata.set("annotations", annotations)
        }
        object.set("metadata", metadata)
    }
}
