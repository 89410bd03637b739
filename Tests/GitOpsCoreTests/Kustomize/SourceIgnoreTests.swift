import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// source-controller's packaging rules, which decide what a generated kustomization sees.
@Suite struct SourceIgnoreTests {
    @Test(arguments: [
        ("*.yaml", "values.yaml", true), ("*.yaml", "a/values.yaml", false), ("**/x.yaml", "a/b/x.yaml", true),
        ("**/x.yaml", "x.yaml", true), ("a/*/c", "a/b/c", true), ("a/*/c", "a/b/d/c", false),
        ("file-[0-9].yml", "file-7.yml", true), ("file-[!0-9].yml", "file-7.yml", false), ("?.md", "ab.md", false),
    ])
    func globMatchesLikeGitignore(_ c: (String, String, Bool)) {
        #expect(Glob.matches(c.0, c.1) == c.2)
    }

    @Test func defaultsApplyOnlyWithoutSourceIgnoreFiles() throws {
        let dir = try TemporaryDirectory(prefix: "sourceignore")
        let root = dir.url.standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: root + "/apps/.github", withIntermediateDirectories: true)
        let defaults = SourceIgnore(root: root)
        #expect(defaults.excludes(root + "/apps/.sops.yaml", isDirectory: false))
        #expect(defaults.excludes(root + "/.github", isDirectory: true))
        #expect(defaults.excludes(root + "/logo.png", isDirectory: false))
        #expect(!defaults.excludes(root + "/apps/deploy.yaml", isDirectory: false))

        try "# team rules\n/apps/values*.yaml\n!apps/values-keep.yaml\nbuild/\n"
            .write(toFile: root + "/.sourceignore", atomically: true, encoding: .utf8)
        let custom = SourceIgnore(root: root)
        #expect(!custom.excludes(root + "/apps/.sops.yaml", isDirectory: false))
        #expect(custom.excludes(root + "/apps/values-prod.yaml", isDirectory: false))
        #expect(!custom.excludes(root + "/apps/values-keep.yaml", isDirectory: false))
        #expect(custom.excludes(root + "/x/build", isDirectory: true))
        #expect(!custom.excludes(root + "/x/build", isDirectory: false))
        #expect(custom.excludes(root + "/.git", isDirectory: true))
    }
}
