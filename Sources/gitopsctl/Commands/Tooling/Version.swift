import GitOpsCore

extension Command {
    static let version = Command(
        name: "version",
        abstract: "Print the version of gitopsctl and the libraries it runs on",
        examples: [
            Example(comment: "For a bug report", command: "gitopsctl version"),
            Example(comment: "For a script", command: "gitopsctl version -o json"),
        ],
        options: [.output([.text, .json, .yaml])],
        body: { invocation in
            try invocation.output.render(VersionReport.current(), as: invocation.outputFormat())
            return 0
        })
}

/// What `gitopsctl version` prints.
struct VersionReport: Renderable {
    var version: String
    var sopsFormatVersion: String
    var swiftVersion: String
    var os: String
    var arch: String
    var libraries: [LibraryVersion]

    static func current() -> VersionReport {
        VersionReport(version: BuildInfo.version, sopsFormatVersion: BuildInfo.sopsFormatVersion,
                      swiftVersion: compilerVersion, os: operatingSystem, arch: architecture,
                      libraries: LibraryVersion.linked())
    }

    var document: Document {
        [
            "version": .string(version),
            "sopsFormatVersion": .string(sopsFormatVersion),
            "swift": .string(swiftVersion),
            "os": .string(os),
            "arch": .string(arch),
            "libraries": .object(libraries.map { Document.Member(key: $0.name, value: .string($0.version)) }),
        ]
    }

    func humanText(color: Bool) -> String {
        var rows = [("sops format", sopsFormatVersion), ("swift", swiftVersion), ("platform", "\(os)/\(arch)")]
        rows += libraries.map { ($0.name, $0.version) }
        let width = rows.map(\.0.count).max() ?? 0
        return "gitopsctl \(version)\n" + rows.map { "  \($0.0.padding(to: width))  \($0.1)\n" }.joined()
    }

    // Go's GOOS/GOARCH names, as flux and kubectl print them.
    #if os(Linux)
    static let operatingSystem = "linux"
    #elseif os(macOS)
    static let operatingSystem = "darwin"
    #else
    static let operatingSystem = "unknown"
    #endif

    #if arch(x86_64)
    static let architecture = "amd64"
    #elseif arch(arm64)
    static let architecture = "arm64"
    #else
    static let architecture = "unknown"
    #endif

    // The language gives no run-time compiler version; this is the newest the build satisfied.
    #if compiler(>=6.4)
    static let compilerVersion = "6.4 or later"
    #elseif compiler(>=6.3)
    static let compilerVersion = "6.3"
    #elseif compiler(>=6.2)
    static let compilerVersion = "6.2"
    #elseif compiler(>=6.1)
    static let compilerVersion = "6.1"
    #else
    static let compilerVersion = "6.0"
    #endif
}
