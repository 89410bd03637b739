import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// libgit2 and libcurl are opened on first use: what is tried, what is refused, and what the
/// user is told, against the machine's real libraries and deliberately wrong ones.
@Suite struct OnDemandLibraryTests {
    private func pkgConfigVersion(_ package: String) throws -> String {
        try ProcessRunner.run(tool: "pkg-config", ["--modversion", package]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The entry-point names a shim resolves, read from its X-macro list.
    private func shimFunctions(_ target: String, list: String) throws -> [String] {
        let header = try String(contentsOf: TestPaths.repoRoot.appendingPathComponent("Sources/\(target)/shim.h"),
                                encoding: .utf8)
        let start = try #require(header.range(of: "#define \(list)(X)"))
        var names: [String] = []
        for line in header[start.upperBound...].split(separator: "\n") {
            names += line.matches(of: /X\((\w+)\)/).map { String($0.output.1) }
            if !line.hasSuffix("\\") { break }
        }
        return names
    }

    /// Compiles a shared library exporting `symbols` (each a C definition) with the system cc.
    private func fakeLibrary(_ name: String, _ definitions: [String], in directory: TemporaryDirectory) throws -> String {
        let source = try directory.write("\(name).c", definitions.joined(separator: "\n") + "\n")
        let output = directory.path(name).path
        let result = try ProcessRunner.run(tool: "cc", ["-shared", "-fPIC", "-o", output, source.path])
        try #require(result.status == 0, "cc: \(result.stderrText)")
        return output
    }

    // MARK: libgit2

    @Test func libgit2LoadsTheVersionTheBuildExpects() throws {
        let api = try LibGit2.load(from: LibGit2.candidates).get()
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        #expect(api.libgit2_version(&major, &minor, &revision) == 0)
        #expect("\(major).\(minor).\(revision)" == (try pkgConfigVersion("libgit2")))
        #expect(LibGit2.candidates.first == "libgit2.so.\(major).\(minor)")
    }

    @Test func missingLibgit2SaysWhatToInstall() throws {
        let result = LibGit2.load(from: ["/nonexistent/libgit2.so.1.5"])
        guard case .failure(let error) = result else {
            Issue.record("a missing file loaded")
            return
        }
        guard case .libraryUnavailable(let library, let reason, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        let soversion = try pkgConfigVersion("libgit2").split(separator: ".").prefix(2).joined(separator: ".")
        #expect(library == "libgit2 \(soversion)")
        #expect(reason.contains("/nonexistent/libgit2.so.1.5"))
        #expect(reason.contains("No such file"))
        #expect(error.description.hasPrefix("libgit2 \(soversion) could not be loaded: "))
        #expect(error.hint == "install it: apt-get install libgit2-\(soversion)")
    }

    @Test func aLibraryWithoutTheFunctionsIsRefusedAndExplainsMoreThanAnAbsentOne() throws {
        let result = LibGit2.load(from: ["/nonexistent/libgit2.so.1.5", "libcurl.so.4"])
        guard case .failure(.libraryUnavailable(_, let reason, _)) = result else {
            Issue.record("libcurl was taken for libgit2: \(result)")
            return
        }
        #expect(reason == "libcurl.so.4 has no git_libgit2_init")
    }

    @Test func libgit2OfAnotherMinorVersionIsRefused() throws {
        let directory = try TemporaryDirectory()
        let names = try shimFunctions("CGit2", list: "CGIT2_FUNCTIONS")
        #expect(names.count > 40)
        let stubs = names.filter { $0 != "libgit2_version" }.map { "int git_\($0)(void) { return 0; }" }
        let library = try fakeLibrary("libgit2.so.1.99", stubs + [
            "int git_libgit2_version(int *major, int *minor, int *rev) { *major = 1; *minor = 99; *rev = 3; return 0; }",
        ], in: directory)
        let result = LibGit2.load(from: [library])
        guard case .failure(.libraryUnavailable(_, let reason, _)) = result else {
            Issue.record("libgit2 1.99 was accepted: \(result)")
            return
        }
        let soversion = try pkgConfigVersion("libgit2").split(separator: ".").prefix(2).joined(separator: ".")
        #expect(reason == "\(library) is libgit2 1.99.3, but gitopsctl was built for libgit2 \(soversion)")
    }

    // MARK: libcurl

    @Test func libcurlLoadsAndReportsItsVersion() throws {
        let api = try LibCurl.load(from: LibCurl.candidates).get()
        // "libcurl/7.88.1 OpenSSL/3.0.22 zlib/…"
        let banner = String(cString: try #require(api.version()))
        #expect(banner.hasPrefix("libcurl/\(try pkgConfigVersion("libcurl")) "))
    }

    @Test func missingLibcurlSaysWhatToInstall() throws {
        let result = LibCurl.load(from: ["/nonexistent/libcurl.so.4"])
        guard case .failure(let failure) = result else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(failure.kind == .other)
        #expect(failure.message.hasPrefix("libcurl could not be loaded (/nonexistent/libcurl.so.4: "))
        #expect(failure.message.hasSuffix("; install it: apt-get install libcurl4"))
    }

    @Test func libcurlOlderThanTheBlobOptionsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let names = try shimFunctions("CCurl", list: "CCURL_FUNCTIONS")
        #expect(names.contains("easy_setopt"))
        let stubs = names.filter { $0 != "version_info" }.map { "int curl_\($0)(void) { return 0; }" }
        let library = try fakeLibrary("libcurl.so.4", stubs + [
            // The leading fields of curl_version_info_data: age, version, version_num.
            "static struct { int age; const char *version; unsigned int version_num; } info = { 10, \"7.68.0\", 0x074400 };",
            "void *curl_version_info(int age) { return &info; }",
        ], in: directory)
        let result = LibCurl.load(from: [library])
        guard case .failure(let failure) = result else {
            Issue.record("libcurl 7.68.0 was accepted")
            return
        }
        #expect(failure.message.contains("\(library) is libcurl 7.68.0, but gitopsctl needs 7.71.0 or later"))
    }
}
