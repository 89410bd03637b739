import Foundation
import Testing
@testable import GitOpsCore

@Suite struct YAMLEncoderTests {
    struct Namespace: Codable, Equatable {
        struct Metadata: Codable, Equatable {
            var name: String
            var labels: [String: String]?
            var annotations: YAMLNode?
        }
        var apiVersion = "v1"
        var kind = "Namespace"
        var metadata: Metadata
        var finalizers: [String] = []
        var replicas: Int?
        var enabled = true
    }

    @Test func encodesInDeclarationOrderAndEmitsLikeKubectl() throws {
        let ns = Namespace(metadata: .init(name: "team-a", labels: nil, annotations: ["note": "on"]),
                           finalizers: ["kubernetes", "yes"], replicas: 2)
        let node = try YAMLEncoder().encode(ns)
        #expect(YAMLEmitter.manifest.emit(node) == """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: team-a
          annotations:
            note: "on"
        finalizers:
        - kubernetes
        - "yes"
        replicas: 2
        enabled: true

        """)
        #expect(try YAMLDecoder().decode(Namespace.self, from: node) == ns)
    }

    @Test func nodesEncodeAsPlainDataWithOtherEncoders() throws {
        let node = try #require(try YAMLParser().parse("a: [1, x, true, ~]\n").documents.first?.root)
        let json = try JSONEncoder().encode(node)
        #expect(String(decoding: json, as: UTF8.self) == #"{"a":[1,"x",true,null]}"#)
    }
}
