/// The list of tenants: the `resources` of the tenants directory's kustomization.yaml,
/// one entry per tenant directory (`xonery`, `./xonery` or `xonery/`).
struct TenantRegistry {
    static let key = "resources"
    let stream: YAMLStream

    init(_ stream: YAMLStream) {
        self.stream = stream
    }

    /// The entries as written, each with the tenant directory it names.
    func entries() throws(CapsuleError) -> [(entry: String, tenant: String)] {
        try stream.tenantListItems(Self.key).compactMap { item in
            item.scalar.map { ($0, Self.directoryName($0)) }
        }
    }

    func contains(_ tenant: String) throws(CapsuleError) -> Bool {
        try entries().contains { $0.tenant == tenant }
    }

    /// The file with `tenant` added. A sorted list stays sorted (the sample repository asks
    /// for that in a comment); otherwise the tenant goes last.
    func adding(_ tenant: String) throws(CapsuleError) -> [UInt8] {
        let names = try stream.tenantListItems(Self.key).map { $0.scalar.map(Self.directoryName) ?? "" }
        let sorted = names == names.sorted()
        let position = sorted ? names.firstIndex { $0 > tenant } : nil
        return try stream.addingToTenantList(Self.key, YAMLNode(scalar: tenant), before: position)
    }

    /// The file without `tenant`'s entry (and the comment lines attached to it).
    func removing(_ tenant: String) throws(CapsuleError) -> [UInt8] {
        let items = try stream.tenantListItems(Self.key)
        guard let index = items.firstIndex(where: { $0.scalar.map(Self.directoryName) == tenant }) else {
            return stream.bytes
        }
        return try stream.removingFromTenantList(Self.key, at: index)
    }

    static func directoryName(_ entry: String) -> String {
        var name = Substring(entry)
        while name.hasPrefix("./") { name = name.dropFirst(2) }
        while name.hasSuffix("/") { name = name.dropLast() }
        return String(name)
    }
}
