import Foundation

/// Where tests find the repository, the shared vectors and specs, and the built binary.
public enum TestPaths {
    /// The package root (the directory holding Package.swift).
    public static let repoRoot: URL = {
        // This file is Tests/Support/Swift/TestPaths.swift.
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `../shared` beside the clone: vectors, specs, CRDs. CI places it there.
    public static let shared: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")

    public static let vectors: URL = shared.appendingPathComponent("vectors")
    public static let crds: URL = shared.appendingPathComponent("crds")
    public static let fixtures: URL = repoRoot.appendingPathComponent("Tests/Fixtures")
    public static let examples: URL = repoRoot.appendingPathComponent("examples")

    /// The gitopsctl binary of the build under test: beside the test bundle, in the same
    /// build directory (debug or release), so `swift test` always runs what it just built.
    public static let binary: URL = {
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("gitopsctl"),
            bundleDir.appendingPathComponent("gitopsctl"),
            repoRoot.appendingPathComponent(".build/debug/gitopsctl"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }()
}
