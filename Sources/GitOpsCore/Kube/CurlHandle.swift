import Foundation
internal import CCurl

/// TLS material for one cluster, in memory (kubeconfig `*-data` fields or files already read).
struct CurlTLS: Sendable {
    var certificateAuthorityPEM: [UInt8]?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    var insecure = false
}

/// One HTTP exchange as the transport asks libcurl to make it.
struct CurlRequest: Sendable {
    var url: String
    var method: String
    var headers: [String]
    var body: [UInt8]?
    var tls: CurlTLS
    /// `host:port:connect-host:connect-port`, used for `tls-server-name`.
    var connectTo: String?
    var proxy: String?
    var timeout: Double
    var connectTimeout: Double
    var userAgent: String
}

struct CurlResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var httpVersion: Int
    /// Every `Warning` header value, raw: a response may carry several, which `headers` (one
    /// value per name) cannot hold, and their bytes are checked as UTF-8 when parsed.
    var warningHeaders: [[UInt8]] = []
}

/// Why a transfer failed below HTTP: the transport turns these into `KubeError`s.
struct CurlFailure: Error, Sendable {
    enum Kind: Sendable { case refused, unresolved, connectTimeout, timeout, tls, clientCertificateRejected, dropped, cancelled, other }
    var kind: Kind
    var message: String
    /// A failure before curl ran (a credential plugin, say), passed through unchanged.
    var underlying: KubeError? = nil
    /// The connection was opened for this transfer and closed before any response byte came
    /// back: what a TLS 1.3 server that refuses the client's credentials looks like when its
    /// alert is lost to the reset.
    var closedBeforeAnswer = false
}

/// One libcurl easy handle. It keeps its own connection cache, so reusing the handle reuses the
/// TLS connection. A handle is never used by two threads at once: the pool hands it to one
/// transfer at a time, which is the invariant that makes the unchecked Sendable sound.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let curl: ccurl_api

    init() throws(CurlFailure) {
        let curl = try LibCurl.api()
        guard let h = curl.easy_init() else {
            throw CurlFailure(kind: .other, message: "libcurl could not be initialised")
        }
        handle = h
        self.curl = curl
    }

    deinit { curl.easy_cleanup(handle) }

    /// Runs one transfer. With `onChunk`, body bytes go there as they arrive (return false to stop)
    /// and the response body stays empty; otherwise the body is collected. `onHeaders` sees the
    /// `Warning` header values of each complete header block of a final (non-1xx) response, as
    /// soon as it has arrived: a watch's warnings must not wait for the stream to end.
    func perform(_ request: CurlRequest, onChunk: (([UInt8]) -> Bool)? = nil,
                 onHeaders: (([[UInt8]]) -> Void)? = nil,
                 isCancelled: @escaping () -> Bool = { false }) throws(CurlFailure) -> CurlResponse {
        let box = TransferBox(onChunk: onChunk, onHeaders: onHeaders, isCancelled: isCancelled, curl: curl)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl.slist_free_all(headerList) }
        for header in request.headers + ["Expect:"] { headerList = curl.slist_append(headerList, header) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            configure(request, headers: headerList, box: box, errorBuffer: errorPointer.baseAddress)
            return withExtendedLifetime(box) { curl.easy_perform(handle) }
        }
        ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_ERRORBUFFER, nil)
        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw failure(code, detail: detail, cancelled: box.cancelled)
        }
        var status = 0
        ccurl_getinfo_long(curl.easy_getinfo, handle, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        ccurl_getinfo_long(curl.easy_getinfo, handle, CURLINFO_HTTP_VERSION, &version)
        return CurlResponse(status: status, headers: box.headers, body: box.body,
                            httpVersion: version == Int(CURL_HTTP_VERSION_2_0) ? 2 : 1, warningHeaders: box.warnings)
    }

    private func configure(_ request: CurlRequest, headers: UnsafeMutablePointer<curl_slist>?, box: TransferBox,
                           errorBuffer: UnsafeMutablePointer<CChar>?) {
        ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_URL, request.url)
        ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_PIPEWAIT, 1)
        ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_USERAGENT, request.userAgent)
        ccurl_setopt_slist(curl.easy_setopt, handle, CURLOPT_HTTPHEADER, headers)
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_CONNECTTIMEOUT_MS,
                          Int(max(request.connectTimeout, 0.001) * 1000))
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_FOLLOWLOCATION, 0)
        // Proxy only when the kubeconfig names one; otherwise ignore http(s)_proxy like a direct dial.
        ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_PROXY, request.proxy ?? "")
        var connectTo: UnsafeMutablePointer<curl_slist>?
        if let target = request.connectTo { connectTo = curl.slist_append(nil, target) }
        ccurl_setopt_slist(curl.easy_setopt, handle, CURLOPT_CONNECT_TO, connectTo)
        box.connectTo = connectTo

        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_SSL_VERIFYPEER, request.tls.insecure ? 0 : 1)
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_SSL_VERIFYHOST, request.tls.insecure ? 0 : 2)
        setBlob(CURLOPT_CAINFO_BLOB, request.tls.certificateAuthorityPEM)
        setBlob(CURLOPT_SSLCERT_BLOB, request.tls.clientCertificatePEM)
        setBlob(CURLOPT_SSLKEY_BLOB, request.tls.clientKeyPEM)
        if request.tls.clientCertificatePEM != nil {
            ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_SSLCERTTYPE, "PEM")
            ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_SSLKEYTYPE, "PEM")
        }

        switch (request.method, request.body) {
        case ("GET", _):
            ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_HTTPGET, 1)
            ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_CUSTOMREQUEST, nil)
        case let (method, body):
            let bytes = body ?? []
            ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_POST, 1)
            ccurl_setopt_off(curl.easy_setopt, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            _ = bytes.withUnsafeBufferPointer { buffer in
                // COPYPOSTFIELDS: curl keeps its own copy, so the Swift buffer may go away.
                ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_COPYPOSTFIELDS,
                                     UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)))
            }
            ccurl_setopt_string(curl.easy_setopt, handle, CURLOPT_CUSTOMREQUEST, method)
        }

        let userData = Unmanaged.passUnretained(box).toOpaque()
        ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_WRITEDATA, userData)
        ccurl_setopt_write_cb(curl.easy_setopt, handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, userData in
            guard let userData else { return 0 }
            let box = Unmanaged<TransferBox>.fromOpaque(userData).takeUnretainedValue()
            let n = size * count
            let chunk = pointer.map { Array(UnsafeRawBufferPointer(start: $0, count: n)) } ?? []
            return box.receive(chunk) ? n : 0
        }
        ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_HEADERDATA, userData)
        ccurl_setopt_write_cb(curl.easy_setopt, handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, userData in
            guard let userData, let pointer else { return 0 }
            let box = Unmanaged<TransferBox>.fromOpaque(userData).takeUnretainedValue()
            let n = size * count
            box.header(Array(UnsafeRawBufferPointer(start: pointer, count: n)))
            return n
        }
        ccurl_setopt_long(curl.easy_setopt, handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_pointer(curl.easy_setopt, handle, CURLOPT_XFERINFODATA, userData)
        ccurl_setopt_xferinfo_cb(curl.easy_setopt, handle, CURLOPT_XFERINFOFUNCTION) { userData, _, _, _, _ in
            guard let userData else { return 0 }
            let box = Unmanaged<TransferBox>.fromOpaque(userData).takeUnretainedValue()
            if box.isCancelled() { box.cancelled = true; return 1 }
            return 0
        }
    }

    private func setBlob(_ option: CURLoption, _ bytes: [UInt8]?) {
        guard var copy = bytes else {
            ccurl_setopt_blob(curl.easy_setopt, handle, option, nil)
            return
        }
        copy.withUnsafeMutableBytes { raw in
            var blob = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
            _ = ccurl_setopt_blob(curl.easy_setopt, handle, option, &blob)
        }
        // Our temporary copy of key material is wiped; curl keeps its own until the next request.
        copy.withUnsafeMutableBytes { raw in
            for i in raw.indices { raw[i] = 0 }
        }
    }

    private func failure(_ code: CURLcode, detail: String, cancelled: Bool) -> CurlFailure {
        if cancelled || code == CURLE_ABORTED_BY_CALLBACK { return CurlFailure(kind: .cancelled, message: "cancelled") }
        var osErrno = 0
        ccurl_getinfo_long(curl.easy_getinfo, handle, CURLINFO_OS_ERRNO, &osErrno)
        let text = detail.isEmpty
            ? curl.easy_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)" : detail
        switch code {
        case CURLE_COULDNT_CONNECT:
            let reason = osErrno == Int(ECONNREFUSED) ? "connection refused"
                : osErrno != 0 ? String(cString: strerror(Int32(osErrno))).lowercased() : text
            return CurlFailure(kind: .refused, message: reason)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return CurlFailure(kind: .unresolved, message: text)
        case CURLE_OPERATION_TIMEDOUT:
            // No TCP connection within the connect timeout: the server is unreachable (a
            // firewall dropping packets, a host that is down), not slow to answer.
            if text.hasPrefix("Failed to connect") || text.hasPrefix("Connection timed out") {
                return CurlFailure(kind: .connectTimeout, message: text)
            }
            return CurlFailure(kind: .timeout, message: text)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CIPHER:
            return CurlFailure(kind: .tls, message: text)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            // Under TLS 1.3 a server that wants a client certificate says so with an alert after
            // the handshake, which curl reports as a send/receive error.
            if text.contains("certificate required") || text.contains("alert") {
                return CurlFailure(kind: .clientCertificateRejected, message: text)
            }
            // When that alert races curl's first write, OpenSSL fails the write itself ("bad
            // length", "bad write retry") and the alert text is lost; the TLS session is what
            // failed, not the network, so it must not be retried as a dropped connection.
            if code == CURLE_SEND_ERROR && text.contains("SSL_write()") {
                return CurlFailure(kind: .clientCertificateRejected, message: text)
            }
            var connects = 0
            var headerBytes = 0
            ccurl_getinfo_long(curl.easy_getinfo, handle, CURLINFO_NUM_CONNECTS, &connects)
            ccurl_getinfo_long(curl.easy_getinfo, handle, CURLINFO_HEADER_SIZE, &headerBytes)
            return CurlFailure(kind: .dropped, message: text, closedBeforeAnswer: connects > 0 && headerBytes == 0)
        default:
            return CurlFailure(kind: .other, message: text)
        }
    }
}

/// Per-transfer state the C callbacks reach through their `void *` argument.
private final class TransferBox {
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var warnings: [[UInt8]] = []
    var cancelled = false
    var status = 0
    var connectTo: UnsafeMutablePointer<curl_slist>?
    let onChunk: (([UInt8]) -> Bool)?
    let onHeaders: (([[UInt8]]) -> Void)?
    let isCancelled: () -> Bool
    private let curl: ccurl_api

    init(onChunk: (([UInt8]) -> Bool)?, onHeaders: (([[UInt8]]) -> Void)?, isCancelled: @escaping () -> Bool,
         curl: ccurl_api) {
        self.onChunk = onChunk
        self.onHeaders = onHeaders
        self.isCancelled = isCancelled
        self.curl = curl
    }

    deinit { curl.slist_free_all(connectTo) }

    func receive(_ chunk: [UInt8]) -> Bool {
        if isCancelled() { cancelled = true; return false }
        // Error answers are collected whole, so the caller can decode their Status.
        guard let onChunk, status < 300 else { body += chunk; return true }
        return onChunk(chunk)
    }

    /// One header line as curl hands it over: the status line, `name: value` (HTTP/1.1 and
    /// HTTP/2 alike, CRLF included), or the empty line that ends a header block.
    func header(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            warnings = []
            status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return
        }
        if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if status >= 200 { onHeaders?(warnings) }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if name == "warning", let separator = bytes.firstIndex(of: UInt8(ascii: ":")) {
            warnings.append(Array(bytes[(separator + 1)...]))
        }
    }
}
