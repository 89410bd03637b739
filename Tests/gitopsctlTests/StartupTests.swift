import Foundation
import Testing
import TestSupport

/// Start-up cost: libgit2 and libcurl (and their dozens of dependencies) are opened by the
/// commands that need them, never by the dynamic loader before main.
@Suite struct StartupTests {
    private static let onDemand = ["libgit2", "libcurl", "libnghttp2", "libssh2", "libmbedtls", "libhttp_parser"]

    @Test func theBinaryDoesNotNeedLibgit2OrLibcurl() throws {
        let result = try ProcessRunner.run(tool: "readelf", ["--dynamic", "--wide", TestPaths.binary.path])
        try #require(result.status == 0, "\(result.stderrText)")
        let needed = result.stdoutText.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(needed.contains { $0.contains("libyaml") }, "readelf output changed: \(needed)")
        for library in Self.onDemand {
            #expect(!needed.contains { $0.contains("[\(library)") }, "\(library) is linked: \(needed)")
        }
    }

    @Test(arguments: [["version"], ["version", "-o", "json"], ["help", "reconcile", "ks"]])
    func commandsWithoutGitOrClusterLoadNeither(_ arguments: [String]) throws {
        // The loader lists every library it opens, and dlopen's too, on stderr.
        let result = try ProcessRunner.gitopsctl(arguments, environment: ["LD_DEBUG": "files"])
        #expect(result.status == 0)
        let opened = result.stderrText.split(separator: "\n").filter { $0.contains("file=") }
        #expect(opened.contains { $0.contains("file=libyaml") }, "LD_DEBUG output changed")
        for library in Self.onDemand {
            #expect(!opened.contains { $0.contains("file=\(library)") }, "\(arguments) loaded \(library)")
        }
    }
}
