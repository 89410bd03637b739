import Foundation

/// Reads a `Kustomization` from a parsed kustomization file, reading patch files it names
/// relative to `directory` through `loader`.
struct KustomizationDecoder {
    let file: String
    let directory: String
    let loader: FileLoader

    func decode(_ root: YAMLNode?) throws -> Kustomization {
        var k = Kustomization(file: file)
        guard let root, root.isMapping else {
            if root == nil || root?.isNullScalar == true { return k }
            throw KustomizeError.invalidField(file: file, field: "(root)", problem: "not a mapping")
        }
        for key in root.keys where !Kustomization.knownFields.contains(key) {
            throw KustomizeError.unknownField(file: file, field: key)
        }
        for pair in root.entries {
            if let key = pair.key.scalar, let schema = KustomizationSchema.fields[key],
               let unknown = schema.unknownKey(in: pair.value) {
                throw KustomizeError.unknownField(file: file, field: unknown)
            }
        }
        // Fields gitopsctl does not build: failing beats printing a different result.
        for key in ["vars", "helmCharts", "helmGlobals", "helmChartInflationGenerator", "generators",
                    "transformers", "validators", "openapi"] {
            if let value = root[key], !value.isNullScalar, !(value.isSequence && value.items.isEmpty) {
                throw KustomizeError.invalidField(file: file, field: key, problem: "not supported by gitopsctl's built-in kustomize")
            }
        }
        k.isComponent = root["kind"]?.scalar == "Component"
        k.resources = try strings(root, "resources") + strings(root, "bases")
        k.components = try strings(root, "components")
        k.crds = try strings(root, "crds")
        k.configurations = try strings(root, "configurations")
        k.namespace = root["namespace"]?.scalar.flatMap { $0.isEmpty ? nil : $0 }
        k.namePrefix = root["namePrefix"]?.scalar
        k.nameSuffix = root["nameSuffix"]?.scalar
        for entry in root["labels"]?.items ?? [] {
            let selectors = entry["includeSelectors"]?.bool() ?? false
            k.labels.append(.init(pairs: try pairs(entry["pairs"], "labels.pairs"),
                                  includeSelectors: selectors,
                                  includeTemplates: selectors || (entry["includeTemplates"]?.bool() ?? false),
                                  fields: entry["fields"]?.items.map(FieldSpec.init(node:)) ?? []))
        }
        // kustomize's label transformer runs the `labels` entries first, then `commonLabels`.
        if let common = root["commonLabels"], !common.isNullScalar {
            k.labels.append(.init(pairs: try pairs(common, "commonLabels"), includeSelectors: true, includeTemplates: true))
            k.hasCommonLabels = true
        }
        k.commonAnnotations = try pairs(root["commonAnnotations"], "commonAnnotations")
        k.patches = try root["patches"]?.items.map { try patch($0, field: "patches") } ?? []
        k.patchesStrategicMerge = try root["patchesStrategicMerge"]?.items.map { try legacyStrategicMerge($0) } ?? []
        k.patchesJson6902 = try root["patchesJson6902"]?.items.map { try patch($0, field: "patchesJson6902") } ?? []
        k.images = ((root["images"]?.items ?? []) + (root["imageTags"]?.items ?? [])).map { entry in
            Kustomization.ImageSpec(name: entry["name"]?.scalar ?? "", newName: entry["newName"]?.scalar,
                                    newTag: entry["newTag"]?.scalar, digest: entry["digest"]?.scalar,
                                    tagSuffix: entry["tagSuffix"]?.scalar)
        }
        k.replicas = (root["replicas"]?.items ?? []).map { ($0["name"]?.scalar ?? "", $0["count"] ?? YAMLNode(int: 0)) }
        k.generatorOptions = root["generatorOptions"].map(GeneratorOptions.init(node:))
        k.configMapGenerator = try (root["configMapGenerator"]?.items ?? []).map { try GeneratorSpec(node: $0, kind: .configMap, file: file) }
        k.secretGenerator = try (root["secretGenerator"]?.items ?? []).map { try GeneratorSpec(node: $0, kind: .secret, file: file) }
        k.replacements = try (root["replacements"]?.items ?? []).flatMap { try replacement($0) }
        k.buildMetadata = try strings(root, "buildMetadata")
        if let options = root["sortOptions"], let order = options["order"]?.scalar {
            switch order {
            case "fifo": k.sortOptions = .fifo
            case "legacy":
                let custom = options["legacySortOptions"]
                k.sortOptions = .legacy(first: custom?["orderFirst"]?.items.compactMap(\.scalar) ?? LegacyOrder.first,
                                        last: custom?["orderLast"]?.items.compactMap(\.scalar) ?? LegacyOrder.last)
            default:
                throw KustomizeError.invalidField(file: file, field: "sortOptions.order",
                                                  problem: "the order must be either 'fifo' or 'legacy'")
            }
        }
        return k
    }

    private func strings(_ root: YAMLNode, _ key: String) throws -> [String] {
        guard let node = root[key], !node.isNullScalar else { return [] }
        guard node.isSequence else {
            throw KustomizeError.invalidField(file: file, field: key, problem: "expected a list of strings")
        }
        return node.items.compactMap(\.scalar)
    }

    private func pairs(_ node: YAMLNode?, _ field: String) throws -> [(String, String)] {
        guard let node, !node.isNullScalar else { return [] }
        guard node.isMapping else {
            throw KustomizeError.invalidField(file: file, field: field, problem: "expected a map of strings")
        }
        return node.entries.map { ($0.key.scalar ?? "", $0.value.scalar ?? "") }
    }

    private func patch(_ entry: YAMLNode, field: String) throws -> Kustomization.PatchSpec {
        let target = try entry["target"].map { try PatchTarget(node: $0, file: file) }
        var spec: Kustomization.PatchSpec
        if let inline = entry["patch"]?.scalar {
            spec = .init(text: inline, source: file, target: target)
        } else if let path = entry["path"]?.scalar {
            let resolved = try loader.resolveFile(path, in: directory, from: file)
            spec = .init(text: String(decoding: try loader.readSource(resolved, use: .patch), as: UTF8.self),
                         source: resolved, target: target)
        } else {
            throw KustomizeError.invalidField(file: file, field: field, problem: "a patch needs 'path' or 'patch'")
        }
        spec.allowNameChange = entry["options"]?["allowNameChange"]?.bool() ?? false
        spec.allowKindChange = entry["options"]?["allowKindChange"]?.bool() ?? false
        return spec
    }

    private func legacyStrategicMerge(_ entry: YAMLNode) throws -> Kustomization.PatchSpec {
        guard let text = entry.scalar else {
            // An inline mapping written directly in the list.
            return .init(text: YAMLEmitter.manifest.emit(entry), source: file, target: nil)
        }
        if text.contains("\n") || !(text.hasSuffix(".yaml") || text.hasSuffix(".yml") || text.hasSuffix(".json")) {
            return .init(text: text, source: file, target: nil)
        }
        let resolved = try loader.resolveFile(text, in: directory, from: file)
        return .init(text: try loader.readText(resolved), source: resolved, target: nil)
    }

    private func replacement(_ entry: YAMLNode) throws -> [ReplacementSource] {
        if let path = entry["path"]?.scalar {
            let resolved = try loader.resolveFile(path, in: directory, from: file)
            let stream = try loader.parse(resolved)
            return try stream.documents.compactMap(\.root).flatMap { root in
                try (root.isSequence ? root.items : [root]).map { try ReplacementSource(node: $0, file: resolved) }
            }
        }
        return [try ReplacementSource(node: entry, file: file)]
    }
}
