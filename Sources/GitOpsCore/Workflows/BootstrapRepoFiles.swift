import Foundation

/// A file bootstrap writes, with the bytes it should hold after this run.
struct BootstrapFile: Sendable, Equatable {
    /// Relative to the repository root.
    var path: String
    var bytes: [UInt8]
}

/// What the repository needs: the changed files, split the way flux commits them (components
/// first, then everything for the sync).
struct BootstrapRepoPlan: Sendable {
    var components: BootstrapFile?
    var sync: [BootstrapFile]
    /// The Flux version the components file names, for the commit message.
    var componentsVersion: String?
    /// Whether `gotk-components.yaml` installs controllers (a Deployment), rather than the
    /// namespace-only stand-in.
    var installsControllers: Bool
    /// Whether `gotk-components.yaml` defines the GitRepository and Kustomization CRDs; when it
    /// does not, the cluster must serve them already.
    var definesSyncKinds: Bool
    /// Where the repository declares the bootstrap namespace itself, when it does.
    var namespaceDeclaredBy: BootstrapNamespaceDeclaration?
    /// Whether `gotk-components.yaml` declares the namespace too (only install manifests the
    /// user gave or committed do, when `namespaceDeclaredBy` is set: the stand-in leaves it out).
    var componentsDeclareNamespace: Bool

    var isEmpty: Bool { components == nil && sync.isEmpty }

    /// Every path bootstrap may write, for the dirty-tree check.
    static func ownedPaths(_ manifests: BootstrapManifests) -> [String] {
        [manifests.directory, ".sops.yaml", ".gitignore"]
    }

    /// Compares what the files should hold with what is on disk. Existing `kustomization.yaml`,
    /// `.sops.yaml` and `.gitignore` are edited in place, keeping every other byte.
    static func make(root: URL, manifests: BootstrapManifests, componentsFile: String?,
                     recipient: String) throws(BootstrapError) -> BootstrapRepoPlan {
        let files = RepoFiles(root: root)
        let committed = try files.read(manifests.componentsFile).map { bytes throws(BootstrapError) in
            try componentObjects(String(decoding: bytes, as: UTF8.self), file: manifests.componentsFile)
        } ?? []
        let declaration = BootstrapNamespaceDeclaration.find(root: root, manifests: manifests, committedComponents: committed)
        let components = try componentsBytes(files, manifests: manifests, componentsFile: componentsFile,
                                             declaration: declaration)
        let text = String(decoding: components, as: UTF8.self)
        var sync: [BootstrapFile] = []
        sync.append(BootstrapFile(path: manifests.syncFile, bytes: Array(manifests.sync.utf8)))
        sync.append(BootstrapFile(path: manifests.kustomizationFile, bytes: try kustomization(files, manifests)))
        sync.append(BootstrapFile(path: ".sops.yaml", bytes: try SopsRuleFile.bytes(files.read(".sops.yaml"),
                                                                                     recipient: recipient)))
        sync.append(BootstrapFile(path: ".gitignore", bytes: ignoreFile(files.read(".gitignore"))))
        let componentsChange = BootstrapFile(path: manifests.componentsFile, bytes: components)
        let objects = try componentObjects(text, file: manifests.componentsFile)
        let definedKinds = Set(objects.filter { $0.kind == "CustomResourceDefinition" }
            .compactMap { $0.json.at("spec.names.kind")?.stringValue })
        return BootstrapRepoPlan(components: files.differs(componentsChange) ? componentsChange : nil,
                                 sync: sync.filter(files.differs),
                                 componentsVersion: BootstrapManifests.fluxVersion(ofComponents: text),
                                 installsControllers: objects.contains { $0.kind == "Deployment" },
                                 definesSyncKinds: definedKinds.isSuperset(of: ["GitRepository", "Kustomization"]),
                                 namespaceDeclaredBy: declaration,
                                 componentsDeclareNamespace: BootstrapNamespaceDeclaration.declares(objects, namespace: manifests.namespace))
    }

    /// The given install manifests; else the file already committed (a re-run without
    /// `--components-file` must not replace real controllers with the stand-in) unless it is a
    /// stand-in; else the stand-in, without the namespace when the repository declares it.
    private static func componentsBytes(_ files: RepoFiles, manifests: BootstrapManifests, componentsFile: String?,
                                        declaration: BootstrapNamespaceDeclaration?) throws(BootstrapError) -> [UInt8] {
        if let componentsFile {
            guard let bytes = FileManager.default.contents(atPath: componentsFile).map(Array.init) else {
                throw .componentsFile(path: componentsFile, reason: "cannot read the file")
            }
            do {
                _ = try KubeObject.objects(fromYAML: String(decoding: bytes, as: UTF8.self), file: componentsFile)
            } catch {
                throw .unparsableFile("\(error)")
            }
            return bytes
        }
        if let committed = files.read(manifests.componentsFile),
           !manifests.isComponentsPlaceholder(String(decoding: committed, as: UTF8.self)) {
            return committed
        }
        let placeholder = declaration.map { manifests.componentsPlaceholder(namespaceDeclaredBy: $0.description) }
        return Array((placeholder ?? manifests.componentsPlaceholder).utf8)
    }

    private static func componentObjects(_ text: String, file: String) throws(BootstrapError) -> [KubeObject] {
        do {
            return try KubeObject.objects(fromYAML: text, file: file)
        } catch {
            throw .unparsableFile("\(error)")
        }
    }

    /// Flux generates `kustomization.yaml` only when it is absent; an existing one is kept and
    /// only gains the decryption patch when it has none.
    private static func kustomization(_ files: RepoFiles, _ manifests: BootstrapManifests) throws(BootstrapError) -> [UInt8] {
        guard let existing = files.read(manifests.kustomizationFile) else { return Array(manifests.kustomization.utf8) }
        do {
            let stream = try YAMLParser().parse(existing, file: manifests.kustomizationFile)
            guard let root = stream.documents.first?.root, root.isMapping else {
                throw BootstrapError.existingFile(path: manifests.kustomizationFile, line: 1, column: 1,
                                                  reason: "not a kustomization (expected a mapping)")
            }
            if manifests.hasDecryptionPatch(root) { return existing }
            let edit: YAMLEdit = root["patches"]?.isSequence == true
                ? .append(to: "patches", item: manifests.decryptionPatch)
                : .insert(into: YAMLPath(), key: "patches", value: YAMLNode(sequence: [manifests.decryptionPatch]))
            return try stream.applying([edit])
        } catch let error as BootstrapError {
            throw error
        } catch {
            throw .unparsableFile("\(error)")
        }
    }

    /// `.gitignore` with a `*.agekey` line, so identity files next to the checkout stay out of git.
    private static func ignoreFile(_ existing: [UInt8]?) -> [UInt8] {
        let entry = "*.agekey"
        guard var bytes = existing, !bytes.isEmpty else { return Array("\(entry)\n".utf8) }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        if lines.contains(where: { $0.trimmingCharacters(in: .whitespaces) == entry }) { return bytes }
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        return bytes + Array("\(entry)\n".utf8)
    }
}

/// Reads files under the repository root.
struct RepoFiles {
    var root: URL

    func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map(Array.init)
    }

    func differs(_ file: BootstrapFile) -> Bool { read(file.path) != file.bytes }

    func write(_ file: BootstrapFile) throws(BootstrapError) {
        let url = root.appendingPathComponent(file.path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFileWriter.write(file.bytes, to: url.path)
        } catch {
            throw .write(path: file.path, reason: "\(error)")
        }
    }
}
