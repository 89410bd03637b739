import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The sops vectors: `*.decrypted.yaml` is go-yaml v3 output, so re-emitting it with the sops
/// emitter must reproduce it byte for byte.
@Suite struct YAMLVectorTests {
    static let decrypted: [String] = {
        let dir = TestPaths.vectors.appendingPathComponent("sops")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".decrypted.yaml") || $0.hasSuffix(".decrypted-ignore-mac.yaml") }.sorted()
    }()

    @Test(arguments: decrypted)
    func sopsEmitterReproducesDecryptedVector(name: String) throws {
        let url = TestPaths.vectors.appendingPathComponent("sops/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let stream = try YAMLParser().parse(text, file: name)
        #expect(YAMLEmitter.sops.emit(stream) == text)
    }
}
