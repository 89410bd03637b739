/// The top-level lists `tenant add` and `tenant remove` edit (`resources` of the tenants
/// kustomization, `creation_rules` of `.sops.yaml`), read and changed through the YAML layer's
/// surgical edits so every other byte of the file stays as it was.
extension YAMLStream {
    /// The items of the top-level list `key`; empty when the key is missing or null.
    func tenantListItems(_ key: String) throws(CapsuleError) -> [YAMLNode] {
        guard let list = try tenantListRoot()?[key], !list.isNullScalar else { return [] }
        guard list.isSequence else { throw .unexpectedLayout(file: file, reason: "\(key) is not a list") }
        return list.items
    }

    /// The file with `item` added to the top-level list `key` before item `index` (last when
    /// nil), creating the key when it is missing and the file when it is empty.
    func addingToTenantList(_ key: String, _ item: YAMLNode, before index: Int? = nil) throws(CapsuleError) -> [UInt8] {
        guard let root = try tenantListRoot() else {
            return Array(YAMLEmitter.manifest.emit(YAMLNode(mapping: [YAMLPair(key, YAMLNode(sequence: [item]))])).utf8)
        }
        let path = YAMLPath([.key(key)])
        guard root.index(ofKey: key) != nil else {
            return try edited([.insert(into: YAMLPath(), key: key, value: YAMLNode(sequence: [item]))])
        }
        let count = try tenantListItems(key).count
        return try edited([.insertItem(into: path, at: min(index ?? count, count), item: item)])
    }

    /// The file with item `index` of the top-level list `key` removed, with the comment lines
    /// attached to it. Removing the only item of a block list leaves `key:` with no value
    /// rather than rewriting it as `key: []`, so only the item's own lines go.
    func removingFromTenantList(_ key: String, at index: Int) throws(CapsuleError) -> [UInt8] {
        let path = YAMLPath([.key(key)])
        if try tenantListItems(key).count == 1, try tenantListRoot()?[key]?.style == .block {
            return try edited([.clear(path)])
        }
        return try edited([.remove(path.appending(index: index))])
    }

    /// The bytes after `edits`, a failure reported against this file.
    func edited(_ edits: [YAMLEdit]) throws(CapsuleError) -> [UInt8] {
        do {
            return try applying(edits)
        } catch let YAMLError.edit(_, path, problem) {
            throw .unexpectedLayout(file: file, reason: "\(path): \(problem)")
        } catch {
            throw .unexpectedLayout(file: file, reason: "\(error)")
        }
    }

    /// The first document's root mapping; nil for a file without content.
    private func tenantListRoot() throws(CapsuleError) -> YAMLNode? {
        guard let root = documents.first?.root else { return nil }
        guard root.isMapping || root.isNullScalar else {
            throw .unexpectedLayout(file: file, reason: "expected a mapping at the top")
        }
        return root
    }
}
