import Foundation

/// A test-side stand-in for kustomize-, helm- and source-controller: a thread that watches one
/// object (GET through the curl CLI every 100 ms) and, when it sees what a controller reacts to —
/// a new `reconcile.fluxcd.io/requestedAt`, or a generation it has not observed — writes the
/// statuses `respond` returns through the test server's admin API, one after another, the way
/// the real controllers patch status. It runs on its own thread so a blocking test step (running
/// the binary) cannot starve it.
public final class FakeFluxController: @unchecked Sendable {
    /// What the controller reacts to.
    public enum Trigger: Sendable {
        case reconcileRequest
        case newGeneration
    }

    /// What the controller saw when it reacted: the request token (if any) and the generation.
    public struct Request: Sendable {
        public var token: String?
        public var generation: Int
        public var annotations: [String: String]
    }

    private let server: KubeAPIServer
    private let lock = NSLock()
    private var stopped = false
    private var log: [String] = []
    private var seen: [String: Request] = [:]

    public init(server: KubeAPIServer) { self.server = server }

    deinit { stop() }

    public func stop() { lock.withLock { stopped = true } }

    /// `group/resource/namespace/name` of each handled request, in the order handled.
    public var handled: [String] { lock.withLock { log } }

    /// The request seen for `resource/name`, once handled.
    public func request(_ resource: String, _ name: String) -> Request? { lock.withLock { seen["\(resource)/\(name)"] } }

    /// Starts reacting to `name` (returning once it has read the object the first time);
    /// `respond` gives the status objects (JSON) to write, in order, 300 ms apart. Reacts once.
    public func handle(group: String, resource: String, namespace: String, name: String,
                       trigger: Trigger = .reconcileRequest,
                       respond: @escaping @Sendable (Request) -> [String]) {
        let version = group.hasPrefix("helm.") ? "v2" : "v1"
        let path = "/apis/\(group)/\(version)/namespaces/\(namespace)/\(resource)/\(name)"
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            var baseline: String?? = .none
            var signalled = false
            var firstGeneration = 0
            defer { if !signalled { ready.signal() } }
            while !lock.withLock({ stopped }) {
                defer { Thread.sleep(forTimeInterval: 0.1) }
                guard let object = try? get(path) else { continue }
                let metadata = object["metadata"] as? [String: Any] ?? [:]
                let annotations = metadata["annotations"] as? [String: String] ?? [:]
                let generation = metadata["generation"] as? Int ?? 0
                let status = object["status"] as? [String: Any] ?? [:]
                let token = annotations["reconcile.fluxcd.io/requestedAt"]
                switch trigger {
                case .reconcileRequest:
                    // The token present when watching starts was handled by an earlier run.
                    if case .none = baseline {
                        baseline = .some(token)
                        signalled = true
                        ready.signal()
                        continue
                    }
                    guard let token, token != baseline ?? nil else { continue }
                case .newGeneration:
                    // The generation present when watching starts is not the one to answer.
                    if !signalled {
                        firstGeneration = generation
                        signalled = true
                        ready.signal()
                    }
                    guard generation != firstGeneration, generation != status["observedGeneration"] as? Int else { continue }
                }
                let request = Request(token: token, generation: generation, annotations: annotations)
                lock.withLock {
                    log.append("\(group)/\(resource)/\(namespace)/\(name)")
                    seen["\(resource)/\(name)"] = request
                }
                for (index, body) in respond(request).enumerated() {
                    if index > 0 { Thread.sleep(forTimeInterval: 0.3) }
                    let update = #"{"group":"\#(group)","resource":"\#(resource)","namespace":"\#(namespace)","name":"\#(name)","status":\#(body)}"#
                    // A curl that fails on a loaded machine must not leave the test waiting for a
                    // status that was never written.
                    for attempt in 0..<5 {
                        if (try? server.setStatus(update)) != nil { break }
                        Thread.sleep(forTimeInterval: 0.2 * Double(attempt + 1))
                    }
                }
                return
            }
        }
        thread.start()
        // The first look must happen before the test asks for a reconciliation, or the request
        // would be taken for an old one. On a loaded 2-core machine starting the first curl and
        // reaching the server can take long, so wait generously rather than race.
        _ = ready.wait(timeout: .now() + 180)
    }

    private func get(_ path: String) throws -> [String: Any]? {
        let result = try ProcessRunner.run(tool: "curl", ["-sS", "--fail", "--cacert", server.file("ca.pem"),
                                                          "--cert", server.file("admin.crt"), "--key", server.file("admin.key"),
                                                          server.server + path])
        guard result.status == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
    }

    /// The status kustomize-controller (or, with `helmHistory`, helm-controller) writes after a run: Ready with `readyStatus`, the request
    /// handled, the generation observed, and the revision applied (on success).
    public static func kustomizationStatus(_ request: Request, ready: String = "True", reason: String = "ReconciliationSucceeded",
                                           message: String? = nil, revision: String, stalled: Bool = false,
                                           helmHistory: Bool = false) -> String {
        let text = message ?? "Applied revision: \(revision)"
        var conditions = [condition("Ready", ready, reason, text, request.generation)]
        if stalled { conditions.append(condition("Stalled", "True", reason, text, request.generation)) }
        if ready == "False", !stalled {
            conditions.append(condition("Reconciling", "True", "ProgressingWithRetry", text, request.generation))
        }
        var status: [String] = ["\"observedGeneration\":\(request.generation)", "\"conditions\":[\(conditions.joined(separator: ","))]"]
        if let token = request.token { status.append("\"lastHandledReconcileAt\":\(quote(token))") }
        if ready == "True" {
            status.append("\"lastAppliedRevision\":\(quote(revision))")
            status.append("\"artifact\":{\"revision\":\(quote(revision)),\"path\":\"x\",\"url\":\"http://x\",\"digest\":\"sha256:0\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"}")
        }
        if ready == "True", helmHistory {
            status.append("\"history\":[{\"chartName\":\"podinfo\",\"chartVersion\":\(quote(revision)),\"configDigest\":\"sha256:0\",\"digest\":\"sha256:0\",\"firstDeployed\":\"2026-01-01T00:00:00Z\",\"lastDeployed\":\"2026-01-01T00:00:00Z\",\"name\":\"podinfo\",\"namespace\":\"apps\",\"status\":\"deployed\",\"version\":1}]")
        }
        return "{" + status.joined(separator: ",") + "}"
    }

    static func condition(_ type: String, _ status: String, _ reason: String, _ message: String, _ generation: Int) -> String {
        #"{"type":"\#(type)","status":"\#(status)","reason":"\#(reason)","message":\#(quote(message)),"observedGeneration":\#(generation),"lastTransitionTime":"2026-01-01T00:00:00Z"}"#
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
