import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct AtomicFileWriterTests {
    func mode(_ url: URL) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? -1
    }

    @Test func replacesContentsAndKeepsTheMode() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("secret.yaml", "old\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try AtomicFileWriter.write(Array("new\n".utf8), to: file.path)
        #expect(try String(contentsOf: file, encoding: .utf8) == "new\n")
        #expect(try mode(file) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["secret.yaml"])
    }

    @Test func newFileGetsTheRequestedMode() throws {
        let dir = try TemporaryDirectory()
        let file = dir.path("keys.txt")
        try AtomicFileWriter.write(Array("k\n".utf8), to: file.path, mode: 0o600, existing: .refuse)
        #expect(try mode(file) == 0o600)
    }

    @Test func uncommittedWriterLeavesNothingBehind() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("plain.txt", "original\n")
        do {
            let writer = try AtomicFileWriter(path: file.path)
            try writer.write(Array("half of a plaintext".utf8))
            // No commit: as when decryption fails part-way.
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "original\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["plain.txt"])
    }

    @Test func refuseNeverOverwrites() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("keys.txt", "existing\n")
        #expect(throws: FilesError.exists(path: file.path)) {
            try AtomicFileWriter(path: file.path, existing: .refuse)
        }
        // A file that appears between start and commit is not overwritten either.
        let late = dir.path("late.txt")
        let writer = try AtomicFileWriter(path: late.path, mode: 0o600, existing: .refuse)
        try writer.write(Array("mine".utf8))
        try Data("theirs".utf8).write(to: late)
        #expect(throws: FilesError.exists(path: late.path)) { try writer.commit() }
        #expect(try String(contentsOf: late, encoding: .utf8) == "theirs")
    }

    @Test func missingDirectoryIsAnOpenError() {
        let error = #expect(throws: FilesError.self) {
            try AtomicFileWriter(path: "/nonexistent-dir-for-test/x.txt")
        }
        #expect(error?.description.contains("/nonexistent-dir-for-test/x.txt") == true)
    }

    @Test func fileInputReadsInChunks() throws {
        let dir = try TemporaryDirectory()
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
        let file = dir.path("data.bin")
        try Data(bytes).write(to: file)
        let input = try FileInput(path: file.path)
        var buffer = [UInt8](repeating: 0, count: 100_000)
        #expect(try input.readFully(into: &buffer, at: 0, count: buffer.count) == bytes.count)
        #expect(buffer == bytes)
        #expect(try input.read(into: &buffer, at: 0, count: 10) == 0)
    }
}
