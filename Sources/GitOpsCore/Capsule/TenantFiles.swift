import Foundation

/// File-system reads shared by the tenant code, turning failures into `CapsuleError`.
enum TenantFiles {
    static func read(_ url: URL, layout: TenantsLayout) throws(CapsuleError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw .io(path: layout.relativePath(url), reason: "cannot read: \(error.localizedDescription)")
        }
    }

    static func parse(_ url: URL, layout: TenantsLayout) throws(CapsuleError) -> YAMLStream {
        let bytes = try read(url, layout: layout)
        let name = layout.relativePath(url)
        do {
            return try YAMLParser().parse(bytes, file: name)
        } catch {
            throw .unexpectedLayout(file: name, reason: "not valid YAML: \(error)")
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func subdirectories(of url: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && isDirectory(url.appendingPathComponent($0)) }.sorted()
    }

    static func yamlFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && $0 != "kustomization.yaml" }
            .sorted().map { directory.appendingPathComponent($0) }
    }

    /// Every regular file under `directory`, relative paths, sorted.
    static func allFiles(under directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        while let path = walker.nextObject() as? String {
            if !isDirectory(directory.appendingPathComponent(path)) { files.append(path) }
        }
        return files.sorted()
    }
}
