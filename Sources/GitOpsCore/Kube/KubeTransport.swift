import Foundation

/// One API request, before authentication and retries are added.
public struct KubeRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(name: String, value: String)]
    public var contentType: String?
    public var accept = "application/json"
    public var body: [UInt8]?
    /// Overrides the transport's timeout (watches use none).
    public var timeout: Double?

    public init(method: String, path: String, query: [(name: String, value: String)] = [],
                contentType: String? = nil, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.body = body
    }

    /// Whether repeating the request cannot do harm: reads, replaces, deletes and server-side
    /// apply (declarative, so sending it twice gives the same object).
    var idempotent: Bool {
        ["GET", "HEAD", "PUT", "DELETE"].contains(method) || contentType == KubeRequest.applyPatch
    }

    static let applyPatch = "application/apply-patch+yaml"
}

/// The answer to a request: status code, headers (lower-cased names) and body.
public struct KubeResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public var httpVersion: Int
}

/// Limits and pacing of the transport.
public struct TransportOptions: Sendable {
    public var timeout: Double = 30
    public var connectTimeout: Double = 10
    public var maxRetries = 5
    public var initialBackoff: Double = 0.1
    public var maxBackoff: Double = 5
    /// Idle connections kept for reuse (one libcurl handle each).
    public var maxIdleConnections = 16
    /// Receives the server's `Warning` headers (deprecated API versions, field problems); none
    /// are reported without one.
    public var warnings: APIWarningSink?

    public init() {}
}

/// HTTPS to one API server over libcurl: TLS verification (unless the kubeconfig says insecure),
/// in-memory CA and client certificate, bearer/basic/exec credentials, connection reuse, and
/// retries — 429 after `Retry-After`, 5xx and dropped connections for idempotent requests.
/// Logs (for `-v`) carry method, URL, status and timing, never a header or body.
public final class KubeTransport: Sendable {
    public let config: ClusterConfig
    public let options: TransportOptions
    let pool: HandlePool
    let exec: ExecCredentialPlugin?
    let tokenState: TokenState
    let log: (@Sendable (String) -> Void)?
    /// Set once the server has answered any request: from then on it evidently accepts our TLS
    /// client certificate, so a dropped connection is only that.
    let answered = SetOnceFlag()
    /// `scheme://host:port` of the server, as errors name it.
    public let serverName: String
    private let baseURL: String
    private let connectTo: String?

    public init(config: ClusterConfig, options: TransportOptions = TransportOptions(),
                log: (@Sendable (String) -> Void)? = nil) throws(KubeError) {
        self.config = config
        self.options = options
        self.log = log
        pool = HandlePool(capacity: options.maxIdleConnections)
        exec = config.credentials.exec.map { ExecCredentialPlugin(config: $0, server: config.server) }
        tokenState = TokenState(token: config.credentials.token)
        var server = config.server
        while server.hasSuffix("/") { server.removeLast() }
        guard let url = URLComponents(string: server), let scheme = url.scheme, let host = url.host,
              ["https", "http"].contains(scheme) else {
            throw .transport(server: config.server, reason: "the server address is not an http(s) URL")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        serverName = "\(scheme)://\(host):\(port)"
        if let name = config.tlsServerName, !name.isEmpty {
            // curl verifies the name in the URL, so ask for tls-server-name and dial the real host.
            baseURL = "\(scheme)://\(name):\(port)\(url.path)"
            connectTo = "\(name):\(port):\(host):\(port)"
        } else {
            baseURL = server
            connectTo = nil
        }
    }

    /// Sends a request, retrying what is safe to retry. Non-2xx answers come back as responses;
    /// only 401 (after a credential refresh) and transport failures throw.
    public func send(_ request: KubeRequest) async throws(KubeError) -> KubeResponse {
        var attempt = 0
        var refreshedCredentials = false
        var everyAttemptClosedBeforeAnswer = true
        while true {
            let started = Date()
            let (outcome, generation, usedToken) = await transfer(request)
            switch outcome {
            case let .failure(failure):
                logLine(request, "failed: \(failure.message)", started)
                everyAttemptClosedBeforeAnswer = everyAttemptClosedBeforeAnswer && failure.closedBeforeAnswer
                if failure.kind == .dropped, request.idempotent, attempt < options.maxRetries {
                    attempt += 1
                    try await pause(backoff(attempt))
                    continue
                }
                if failure.kind == .dropped, everyAttemptClosedBeforeAnswer, !answered.isSet,
                   serverName.hasPrefix("https:") {
                    // Under TLS 1.3 a server refusing the client certificate may reset the
                    // connection before its alert is read; from here that looks like this.
                    throw .transport(server: serverName, reason: "every new connection was closed without an answer "
                                     + "(\(failure.message)); a server that requires a client certificate does this "
                                     + "when it does not accept the one of user \"\(config.userName)\"")
                }
                throw kubeError(failure, timeout: request.timeout)
            case let .success(response):
                answered.set()
                logLine(request, "\(response.status)", started)
                if response.status == 401, !refreshedCredentials,
                   await onOwnThread({ self.refreshCredentials(after: generation, usedToken: usedToken) }) {
                    refreshedCredentials = true
                    continue
                }
                if response.status == 401 {
                    report(response.warningHeaders)
                    let status = APIStatus.decode(code: 401, body: response.body, request: describe(request))
                    throw .unauthorized(server: serverName, user: config.userName,
                                        message: status.message.isEmpty ? "Unauthorized" : status.message)
                }
                if attempt < options.maxRetries, let delay = retryDelay(response, request, attempt: attempt + 1) {
                    attempt += 1
                    try await pause(delay)
                    continue
                }
                report(response.warningHeaders)
                return KubeResponse(status: response.status, headers: response.headers, body: response.body,
                                    httpVersion: response.httpVersion)
            }
        }
    }

    /// Streams a response body (a watch) chunk by chunk; the stream ends when the server closes
    /// it, and cancelling the consumer aborts the transfer.
    public func stream(_ request: KubeRequest) -> AsyncThrowingStream<[UInt8], Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        let cancelled = SetOnceFlag()
        continuation.onTermination = { _ in cancelled.set() }
        let thread = Thread { [self] in
            let result = performBlocking(request, onChunk: { chunk in
                if cancelled.isSet { return false }
                continuation.yield(chunk)
                return true
            }, onHeaders: { self.report($0) }, isCancelled: { cancelled.isSet })
            switch result {
            case let .failure(failure) where failure.kind == .cancelled:
                continuation.finish()
            case let .failure(failure):
                continuation.finish(throwing: kubeError(failure))
            case let .success(response) where response.status >= 300:
                var status = APIStatus.decode(code: response.status, body: response.body, request: describe(request))
                status.user = config.userName
                continuation.finish(throwing: KubeError.api(status))
            case .success:
                continuation.finish()
            }
        }
        thread.start()
        return stream
    }

    /// One attempt, on the calling thread, without retries: for shell completion, which must
    /// answer within its budget and cannot wait for an async runtime.
    func sendOnce(_ request: KubeRequest) -> Result<KubeResponse, KubeError> {
        switch performBlocking(request, onChunk: nil, isCancelled: { false }) {
        case let .success(response):
            return .success(KubeResponse(status: response.status, headers: response.headers, body: response.body,
                                         httpVersion: response.httpVersion))
        case let .failure(failure):
            return .failure(kubeError(failure, timeout: request.timeout))
        }
    }

    // MARK: - Internals

    /// One attempt: the credential it uses (an exec plugin may run here) and the transfer. The
    /// generation and token it used let a 401 refresh only a credential that is still stale.
    private func transfer(_ request: KubeRequest) async -> (Result<CurlResponse, CurlFailure>, Int, String?) {
        await onOwnThread { [self] in
            var credential: ExecCredentialPlugin.Credential?
            var generation = 0
            if let exec {
                do throws(KubeError) { (credential, generation) = try exec.current() } catch {
                    return (.failure(CurlFailure(kind: .other, message: error.description, underlying: error)), 0, nil)
                }
            }
            let usedToken = tokenState.current
            return (performBlocking(request, credential: credential, onChunk: nil, isCancelled: { false }),
                    generation, usedToken)
        }
    }

    /// Runs blocking work (a libcurl transfer, a credential plugin that may wait seconds for a
    /// browser login) on a thread of its own, as watches do: blocking a Swift concurrency pool
    /// thread (two on a small machine) would hold up every task queued behind it.
    private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    private func performBlocking(_ request: KubeRequest, credential: ExecCredentialPlugin.Credential? = nil,
                                 onChunk: (([UInt8]) -> Bool)?, onHeaders: (([[UInt8]]) -> Void)? = nil,
                                 isCancelled: @escaping () -> Bool) -> Result<CurlResponse, CurlFailure> {
        let curlRequest: CurlRequest
        do {
            curlRequest = try makeCurlRequest(request, streaming: onChunk != nil, credential: credential)
        } catch {
            return .failure(CurlFailure(kind: .other, message: error.description, underlying: error))
        }
        let handle: CurlHandle
        do { handle = try pool.take() } catch { return .failure(error) }
        defer { pool.give(handle) }
        return Result { () throws(CurlFailure) -> CurlResponse in try handle.perform(curlRequest, onChunk: onChunk, onHeaders: onHeaders, isCancelled: isCancelled) }
    }

    /// `credential`: the exec plugin's credential the caller already fetched, so one attempt
    /// never runs the plugin twice.
    private func makeCurlRequest(_ request: KubeRequest, streaming: Bool,
                                 credential fetched: ExecCredentialPlugin.Credential?) throws(KubeError) -> CurlRequest {
        var headers = ["Accept: \(request.accept)"]
        if let type = request.contentType { headers.append("Content-Type: \(type)") }
        var tls = CurlTLS(certificateAuthorityPEM: config.certificateAuthorityPEM,
                          clientCertificatePEM: config.credentials.clientCertificatePEM,
                          clientKeyPEM: config.credentials.clientKeyPEM, insecure: config.insecureSkipTLSVerify)
        if let exec {
            let credential: ExecCredentialPlugin.Credential
            if let fetched { credential = fetched } else { credential = try exec.credential() }
            if let token = credential.token { headers.append("Authorization: Bearer \(token)") }
            if let cert = credential.clientCertificatePEM, let key = credential.clientKeyPEM {
                tls.clientCertificatePEM = cert
                tls.clientKeyPEM = key
            }
        } else if let token = tokenState.current {
            headers.append("Authorization: Bearer \(token)")
        } else if let basic = config.credentials.basic {
            let encoded = Data("\(basic.username):\(basic.password)".utf8).base64EncodedString()
            headers.append("Authorization: Basic \(encoded)")
        }
        return CurlRequest(url: url(for: request), method: request.method, headers: headers, body: request.body,
                           tls: tls, connectTo: connectTo, proxy: config.proxyURL,
                           timeout: streaming ? 0 : (request.timeout ?? options.timeout),
                           connectTimeout: options.connectTimeout,
                           userAgent: "gitopsctl/\(BuildInfo.version)")
    }

    func url(for request: KubeRequest) -> String {
        var text = baseURL + request.path
        if !request.query.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+,;:/?")
            text += "?" + request.query.map {
                "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)"
            }.joined(separator: "&")
        }
        return text
    }

    func describe(_ request: KubeRequest) -> String { "\(request.method) \(request.path)" }

    /// Hands a final response's warnings to the sink. Answers that are retried (429, 5xx) are
    /// not final, and client-go does not report theirs either.
    private func report(_ warningHeaders: [[UInt8]]) {
        guard let sink = options.warnings, !warningHeaders.isEmpty else { return }
        sink.receive(APIWarning.parse(headerValues: warningHeaders))
    }

    private func refreshCredentials(after generation: Int, usedToken: String?) -> Bool {
        if let exec { return (try? exec.refresh(after: generation)) != nil }
        if let file = config.credentials.tokenFile,
           let data = FileManager.default.contents(atPath: file) {
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            tokenState.replace(with: token)
            return token != usedToken
        }
        return false
    }

    private func retryDelay(_ response: CurlResponse, _ request: KubeRequest, attempt: Int) -> Double? {
        if response.status == 429 {
            if let header = response.headers["retry-after"], let seconds = Double(header) {
                return min(max(seconds, 0), 30)
            }
            return backoff(attempt)
        }
        if [500, 502, 503, 504].contains(response.status), request.idempotent {
            if let header = response.headers["retry-after"], let seconds = Double(header) { return min(seconds, 30) }
            return backoff(attempt)
        }
        return nil
    }

    private func backoff(_ attempt: Int) -> Double {
        let base = options.initialBackoff * pow(2, Double(attempt - 1))
        return min(base, options.maxBackoff) * Double.random(in: 0.8...1.2)
    }

    private func pause(_ seconds: Double) async throws(KubeError) {
        do { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) } catch {
            throw .transport(server: serverName, reason: "cancelled")
        }
    }

    private func logLine(_ request: KubeRequest, _ outcome: String, _ started: Date) {
        guard let log else { return }
        let ms = Int(Date().timeIntervalSince(started) * 1000)
        log("\(request.method) \(url(for: request)) \(outcome) in \(ms) milliseconds")
    }

    func kubeError(_ failure: CurlFailure, timeout: Double? = nil) -> KubeError {
        switch failure.kind {
        case .refused, .unresolved: return .unreachable(server: serverName, reason: failure.message)
        case .connectTimeout:
            return .unreachable(server: serverName,
                                reason: "no connection within \(KubeError.seconds(options.connectTimeout))")
        case .timeout: return .timedOut(server: serverName, seconds: timeout ?? options.timeout)
        case .tls: return .tls(server: serverName, reason: failure.message)
        case .clientCertificateRejected:
            return .tls(server: serverName, reason: "the server did not accept the client certificate of user "
                        + "\"\(config.userName)\" (\(failure.message))")
        case .dropped: return .transport(server: serverName, reason: "connection closed: \(failure.message)")
        case .cancelled: return .transport(server: serverName, reason: "cancelled")
        case .other: return failure.underlying ?? .transport(server: serverName, reason: failure.message)
        }
    }
}

/// Idle libcurl handles (each with its live connection) waiting to be reused.
final class HandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [CurlHandle] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func take() throws(CurlFailure) -> CurlHandle {
        lock.lock()
        let handle = idle.popLast()
        lock.unlock()
        if let handle { return handle }
        return try CurlHandle()
    }

    func give(_ handle: CurlHandle) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < capacity { idle.append(handle) }
    }
}

/// The bearer token in use, replaced when a token file was rotated.
final class TokenState: @unchecked Sendable {
    private let lock = NSLock()
    private var token: String?

    init(token: String?) { self.token = token }

    var current: String? {
        lock.lock()
        defer { lock.unlock() }
        return token
    }

    func replace(with new: String) {
        lock.lock()
        defer { lock.unlock() }
        token = new
    }
}

/// A flag one thread sets and others poll (watch cancellation, "the server has answered").
final class SetOnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
