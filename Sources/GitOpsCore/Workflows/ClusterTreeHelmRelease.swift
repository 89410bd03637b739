import Foundation

/// What a HelmRelease installed, read from the Helm storage Secret of its latest release the way
/// flux2's tree does (`getHelmReleaseInventory`): base64 (Helm's own layer over the Secret's),
/// gzip when the magic bytes say so, JSON, then the `manifest` field as multi-document YAML.
struct HelmReleaseManifest {
    let client: KubeClient

    func objects(of release: InventoryObject) async throws(ReconcileError) -> [InventoryObject] {
        let found: KubeObject?
        do { found = try await client.getIfPresent(.helmRelease, name: release.name, namespace: release.namespace) } catch {
            throw .cluster(error)
        }
        guard let helmRelease = found, helmRelease.json.at("spec.kubeConfig") == nil,
              let storageNamespace = helmRelease.json.at("status.storageNamespace")?.stringValue, !storageNamespace.isEmpty,
              let latest = (helmRelease.json.at("status.history")?.arrayValue ?? [])
                .max(by: { ($0["version"]?.intValue ?? 0) < ($1["version"]?.intValue ?? 0) })
        else { return [] }
        let releaseName = latest["name"]?.stringValue ?? ""
        let releaseNamespace = latest["namespace"]?.stringValue ?? release.namespace
        let secretName = "sh.helm.release.v1.\(releaseName).v\(latest["version"]?.intValue ?? 0)"
        let secret: KubeObject?
        do { secret = try await client.getIfPresent(.secret, name: secretName, namespace: storageNamespace) } catch {
            throw .cluster(error)
        }
        guard let secret else { return [] }
        let manifest = try decodeManifest(secret, name: "\(storageNamespace)/\(secretName)")
        var objects = try await parse(manifest, defaultNamespace: releaseNamespace, secret: secretName)
        objects += try await helmManagedCRDs(helmRelease, excluding: objects)
        return objects
    }

    func decodeManifest(_ secret: KubeObject, name: String) throws(ReconcileError) -> String {
        guard let encoded = secret.json.at("data.release")?.stringValue,
              let helmLayer = Data(base64Encoded: encoded),
              let inner = Data(base64Encoded: helmLayer) else {
            throw .malformedHelmRelease(secret: name, reason: "data.release is not base64 of base64")
        }
        var bytes = [UInt8](inner)
        if Gunzip.isGzip(bytes) {
            guard let unzipped = Gunzip.decompress(bytes) else {
                throw .malformedHelmRelease(secret: name, reason: "the release is not valid gzip")
            }
            bytes = unzipped
        }
        let json: KubeJSON
        do { json = try KubeJSON.parse(bytes) } catch {
            throw .malformedHelmRelease(secret: name, reason: "the release is not JSON: \(error)")
        }
        return json["manifest"]?.stringValue ?? ""
    }

    private func parse(_ manifest: String, defaultNamespace: String,
                       secret: String) async throws(ReconcileError) -> [InventoryObject] {
        let documents: [KubeObject]
        do { documents = try KubeObject.objects(fromYAML: manifest, file: secret) } catch {
            throw .malformedHelmRelease(secret: secret, reason: "manifest: \(error)")
        }
        var objects: [InventoryObject] = []
        for document in flattened(documents) where !document.kind.isEmpty {
            let kind = document.groupVersionKind
            // Helm charts may carry kustomize config files; flux2 skips them.
            if kind.group == "kustomize.config.k8s.io", kind.kind == "Kustomization" { continue }
            var namespace = document.namespace ?? ""
            if namespace.isEmpty, await isNamespaced(kind) { namespace = defaultNamespace }
            objects.append(InventoryObject(namespace: namespace, name: document.name, group: kind.group, kind: kind.kind))
        }
        return objects
    }

    private func flattened(_ documents: [KubeObject]) -> [KubeObject] {
        documents.flatMap { document -> [KubeObject] in
            guard document.kind.hasSuffix("List"), let items = document.json["items"]?.arrayValue else { return [document] }
            return items.map(KubeObject.init)
        }
    }

    /// Unknown kinds count as namespaced, as kubectl's builder assumes without a mapping.
    private func isNamespaced(_ kind: GroupVersionKind) async -> Bool {
        (try? await client.resource(for: kind).namespaced) ?? true
    }

    /// CRDs helm-controller installs from a chart's `crds/` are not in the manifest; it labels them.
    private func helmManagedCRDs(_ helmRelease: KubeObject,
                                 excluding known: [InventoryObject]) async throws(ReconcileError) -> [InventoryObject] {
        let policies = [helmRelease.json.at("spec.install.crds")?.stringValue, helmRelease.json.at("spec.upgrade.crds")?.stringValue]
        guard policies.contains(where: { $0 != nil && $0 != "Skip" }) else { return [] }
        let selector = "helm.toolkit.fluxcd.io/name=\(helmRelease.name),helm.toolkit.fluxcd.io/namespace=\(helmRelease.namespace ?? "")"
        let list: KubeList
        do { list = try await client.list(.customResourceDefinition, labelSelector: selector) } catch { throw .cluster(error) }
        return list.items
            .map { InventoryObject(namespace: "", name: $0.name, group: "apiextensions.k8s.io", kind: "CustomResourceDefinition") }
            .filter { !known.contains($0) }
    }
}
