import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// `Warning` header values as kube-apiserver (and anything else on the way) may send them, and
/// what kubectl's parser makes of each.
struct APIWarningTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var header: String
        var expected: [APIWarning]
        var testDescription: String { header }
    }

    static let cases: [Case] = [
        Case(header: #"299 - "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+""#,
             expected: [APIWarning(code: 299, agent: "-", text: "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+")]),
        // Several warnings in one header value (what an HTTP/2 proxy that joins fields sends).
        Case(header: #"299 - "first", 299 kube-apiserver "second""#,
             expected: [APIWarning(code: 299, agent: "-", text: "first"), APIWarning(code: 299, agent: "kube-apiserver", text: "second")]),
        // Escaped quotes and backslashes; any escaped byte stands for itself.
        Case(header: #"299 - "say \"no\" to \\ and \n""#,
             expected: [APIWarning(code: 299, agent: "-", text: #"say "no" to \ and n"#)]),
        // An optional warn-date, then the next warning; leading and trailing blanks are tolerated.
        Case(header: "  299 - \"dated\" \"Wed, 21 Oct 2015 07:28:00 GMT\" ,  199 proxy \"miscellaneous\"  ",
             expected: [APIWarning(code: 299, agent: "-", text: "dated"), APIWarning(code: 199, agent: "proxy", text: "miscellaneous")]),
        // A malformed warning ends the header value, keeping the ones before it.
        Case(header: #"299 - "kept", bogus, 299 - "lost""#, expected: [APIWarning(code: 299, agent: "-", text: "kept")]),
        Case(header: #"299 - "a" 299 - "b""#, expected: []),
        Case(header: #"2990 - "four digits""#, expected: []),
        Case(header: #"29x - "letters""#, expected: []),
        Case(header: #"299  - "empty agent""#, expected: []),
        Case(header: #"299 - unquoted"#, expected: []),
        Case(header: #"299 - "unterminated"#, expected: []),
        Case(header: #"299 - "unterminated date" "Wed"#, expected: []),
        Case(header: "299 - \"control \u{7}\"", expected: []),
        Case(header: "299 -", expected: []),
        Case(header: "", expected: []),
        // RFC 2047 encoded words from RFC 2616-era servers are decoded; adjacent words join.
        Case(header: #"299 - "=?utf-8?q?caf=C3=A9_au_lait?=""#, expected: [APIWarning(code: 299, agent: "-", text: "café au lait")]),
        Case(header: #"299 - "=?UTF-8?B?Y2Fmw6k=?= =?utf-8?q?_noir?= ok""#, expected: [APIWarning(code: 299, agent: "-", text: "café noir ok")]),
        Case(header: #"299 - "=?iso-8859-1?q?caf=E9?=""#, expected: [APIWarning(code: 299, agent: "-", text: "café")]),
        // An unknown charset leaves the text as sent; a word that does not decode stays as written.
        Case(header: #"299 - "=?koi8-r?q?abc?=""#, expected: [APIWarning(code: 299, agent: "-", text: "=?koi8-r?q?abc?=")]),
        Case(header: #"299 - "=?utf-8?q?bad=ZZ?= tail""#, expected: [APIWarning(code: 299, agent: "-", text: "=?utf-8?q?bad=ZZ?= tail")]),
        // Decoding must not smuggle in a control character.
        Case(header: #"299 - "=?utf-8?q?bell=07?=""#, expected: []),
    ]

    @Test(arguments: cases)
    func parsesHeaderValuesLikeKubectl(_ testCase: Case) {
        #expect(APIWarning.parse(headerValue: testCase.header) == testCase.expected)
    }

    @Test func invalidUTF8TextIsMalformed() {
        let bytes = Array(#"299 - "ok", 299 - "bad "#.utf8) + [0xC3, 0x28] + Array("\"".utf8)
        #expect(APIWarning.parse(headerValue: bytes) == [APIWarning(code: 299, agent: "-", text: "ok")])
    }

    @Test func everyHeaderValueIsParsed() {
        let values = [#"299 - "one""#, "garbage", #"299 - "two", 299 - "three""#].map { Array($0.utf8) }
        #expect(APIWarning.parse(headerValues: values).map(\.text) == ["one", "two", "three"])
    }

    /// kubectl prints code 299 only, never an empty text, and each text once per process.
    @Test func sinkPassesOnEachDistinct299TextOnce() {
        let written = Collected()
        let sink = APIWarningSink { written.add($0) }
        sink.receive([APIWarning(code: 299, agent: "-", text: "deprecated"), APIWarning(code: 199, agent: "-", text: "misc"),
                      APIWarning(code: 299, agent: "-", text: "")])
        sink.receive([APIWarning(code: 299, agent: "other", text: "deprecated"), APIWarning(code: 299, agent: "-", text: "new")])
        #expect(written.items == ["deprecated", "new"])
    }
}

/// Warnings of a CRD with deprecated versions, from the test API server through libcurl to a sink.
@Suite("API warnings from the test API server")
struct APIWarningTransportTests {
    static let defaultText = "warn.example.com/v1beta1 Gadget is deprecated; use warn.example.com/v1 Gadget"
    static let customText = #"warn.example.com/v1beta2 "Gadget" is going away \ use warn.example.com/v1"#

    static func server() async throws -> TestAPIServer {
        let server = try await TestAPIServer.start()
        let crd = try String(contentsOf: TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/warnings/gadgets-crd.yaml"),
                             encoding: .utf8)
        try await offPool { try server.kubectlApply(crd) }
        return server
    }

    static func gadget(_ version: String, _ name: String) throws -> KubeObject {
        KubeObject(try KubeJSON.parse(#"{"apiVersion":"warn.example.com/\#(version)","kind":"Gadget","metadata":{"name":"\#(name)","namespace":"default"}}"#))
    }

    static func client(_ server: TestAPIServer, _ written: Collected, port: Int? = nil) throws -> KubeClient {
        var config = try server.clusterConfig()
        if let port { config.server = "https://127.0.0.1:\(port)" }
        var options = TransportOptions()
        options.warnings = APIWarningSink { written.add($0) }
        return KubeClient(transport: try KubeTransport(config: config, options: options))
    }

    @Test func deprecatedVersionsWarnOncePerTextAndCurrentOnesNever() async throws {
        let server = try await Self.server()
        let written = Collected()
        let client = try Self.client(server, written)
        _ = try await client.apply(try Self.gadget("v1", "current"))
        _ = try await client.list(GroupVersionKind(group: "warn.example.com", version: "v1", kind: "Gadget"), namespace: "default")
        #expect(written.items.isEmpty)
        for name in ["a", "b", "c"] { _ = try await client.apply(try Self.gadget("v1beta1", name)) }
        _ = try await client.apply(try Self.gadget("v1beta2", "d"))
        // An error answer for a deprecated version carries the warning too.
        let missing = await #expect(throws: KubeError.self) {
            _ = try await client.get(GroupVersionKind(group: "warn.example.com", version: "v1beta1", kind: "Gadget"),
                                     name: "missing", namespace: "default")
        }
        #expect(missing?.description.contains("not found") == true)
        #expect(written.items == [Self.defaultText, Self.customText])
    }

    static func gizmo(_ name: String) throws -> KubeObject {
        KubeObject(try KubeJSON.parse(#"{"apiVersion":"warn.example.com/v1","kind":"Gizmo","metadata":{"name":"\#(name)","namespace":"default"},"spec":{"size":1,"colour":"red","shade":"dark"}}"#))
    }

    static let unknownFields = [#"unknown field "spec.colour""#, #"unknown field "spec.shade""#]

    /// Two warnings in one response (the server's `unknown field` warnings for a create), as two
    /// header lines over HTTP/1.1.
    @Test func severalWarningsOfOneResponse() async throws {
        let server = try await Self.server()
        let written = Collected()
        let client = try Self.client(server, written)
        let created = try await client.create(try Self.gizmo("one"))
        #expect(created.json.at("spec.colour") == nil)
        #expect(written.items == Self.unknownFields)
    }

    /// Over HTTP/2 the header fields arrive through the same callback; node's front joins the
    /// repeated fields into one comma-separated value, which must yield every warning too.
    @Test func warningsArriveOverHTTP2() async throws {
        let server = try await Self.server()
        let front = try await ReadyProcess.http2Front(for: server)
        let written = Collected()
        let client = try Self.client(server, written, port: front.port)
        _ = try await client.apply(try Self.gadget("v1beta2", "h2"))
        _ = try await client.create(try Self.gizmo("two"))
        let response = try await client.transport.send(KubeRequest(method: "GET", path: "/version"))
        #expect(response.httpVersion == 2)
        #expect(written.items == [Self.customText] + Self.unknownFields)
    }

    /// A watch reports its warnings when its headers arrive, not when the stream ends.
    @Test func watchWarnsBeforeItsFirstEvent() async throws {
        let server = try await Self.server()
        let written = Collected()
        let client = try Self.client(server, written)
        let kind = GroupVersionKind(group: "warn.example.com", version: "v1beta1", kind: "Gadget")
        let start = try await client.list(GroupVersionKind(group: "warn.example.com", version: "v1", kind: "Gadget"),
                                          namespace: "default")
        #expect(written.items.isEmpty)
        let watch = client.watch(kind, namespace: "default", resourceVersion: start.resourceVersion)
        // The first event that is not a bookmark (the server sends those while the watch idles).
        async let first: WatchEvent? = {
            for try await event in watch where event.object != nil { return event }
            return nil
        }()
        try await server.waitForWatches()
        for _ in 0..<600 where written.items.isEmpty { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(written.items == [Self.defaultText])
        _ = try await client.apply(try Self.gadget("v1", "after"))
        #expect(try await first?.object?.name == "after")
    }
}

/// Strings gathered from any thread.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ item: String) { lock.withLock { stored.append(item) } }
    var items: [String] { lock.withLock { stored } }
}
