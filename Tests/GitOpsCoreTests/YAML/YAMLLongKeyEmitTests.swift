import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// A reader takes a simple key (`key:`) only up to 1024 characters, so libyaml and go-yaml
/// write a scalar key over 128 bytes after `? `. Ours did not, and wrote files it could not
/// read back.
struct YAMLLongKeyEmitTests {
    @Test(arguments: [128, 129, 5000])
    func longKeysAreWrittenAsLibyamlWritesThem(length: Int) throws {
        let key = String(repeating: "k", count: length)
        let node = YAMLNode(mapping: [YAMLPair(key, 4), YAMLPair("short", "v")])
        for emitter in [YAMLEmitter.manifest, .sops, .kustomize] {
            let text = emitter.emit(node)
            #expect(try YAMLParser().parse(text).documents.first?.root == node)
        }
        let ours = YAMLEmitter.manifest.emit(node)
        #expect(ours == (length <= 128 ? "\(key): 4\n" : "? \(key)\n: 4\n") + "short: v\n")

        // PyYAML's C emitter is libyaml's own.
        let dir = try TemporaryDirectory()
        let script = dir.url.appendingPathComponent("dump.py")
        try """
            import sys, yaml
            print(yaml.dump({sys.argv[1]: 4, "short": "v"}, Dumper=yaml.CSafeDumper, sort_keys=False, width=100000), end="")
            """.write(to: script, atomically: true, encoding: .utf8)
        let libyaml = try ProcessRunner.run(tool: "python3", [script.path, key])
        #expect(libyaml.stdoutText == ours)
    }
}
