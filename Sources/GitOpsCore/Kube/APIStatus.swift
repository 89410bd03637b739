/// A failure as the API server reports it: the `Status` object of a non-2xx answer, with the
/// request that caused it so the message can say which object and which user.
public struct APIStatus: Sendable, Equatable, CustomStringConvertible {
    /// `Status.reason`, as the API conventions define it; unknown reasons keep their text.
    public enum Reason: Sendable, Equatable {
        case notFound, alreadyExists, conflict, forbidden, unauthorized, invalid, badRequest
        case methodNotAllowed, unsupportedMediaType, tooManyRequests, expired, gone, timeout
        case internalError, serviceUnavailable, other(String)

        init(_ text: String) {
            switch text {
            case "NotFound": self = .notFound
            case "AlreadyExists": self = .alreadyExists
            case "Conflict": self = .conflict
            case "Forbidden": self = .forbidden
            case "Unauthorized": self = .unauthorized
            case "Invalid": self = .invalid
            case "BadRequest": self = .badRequest
            case "MethodNotAllowed": self = .methodNotAllowed
            case "UnsupportedMediaType": self = .unsupportedMediaType
            case "TooManyRequests": self = .tooManyRequests
            case "Expired": self = .expired
            case "Gone": self = .gone
            case "Timeout", "ServerTimeout": self = .timeout
            case "InternalError": self = .internalError
            case "ServiceUnavailable": self = .serviceUnavailable
            default: self = .other(text)
            }
        }
    }

    /// One field-level cause of an `Invalid` or apply `Conflict` answer.
    public struct Cause: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public var code: Int
    public var reason: Reason
    public var message: String
    public var causes: [Cause]
    public var retryAfterSeconds: Int?
    /// `METHOD path` of the request, for the log and for errors without a message.
    public var request: String
    /// The kubeconfig user the request was sent as, when known.
    public var user = ""

    public var description: String {
        let text = message.isEmpty ? "HTTP \(code) for \(request)" : message
        // kube-apiserver's RBAC answer names user, verb and resource itself; a 403 from anything
        // else (a proxy, a webhook, an admission plugin) is given the request and the user.
        if reason == .forbidden, !message.isEmpty, !message.contains(" cannot ") {
            return "\(text) (\(request)\(user.isEmpty ? "" : " as user \"\(user)\""))"
        }
        return text
    }

    /// Decodes a `Status` body; anything else becomes a status holding the HTTP code and body text.
    static func decode(code: Int, body: [UInt8], request: String) -> APIStatus {
        guard let json = try? KubeJSON.parse(body), json["kind"]?.stringValue == "Status" else {
            let text = String(decoding: body.prefix(300), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return APIStatus(code: code, reason: fallbackReason(code), message: text, causes: [],
                             retryAfterSeconds: nil, request: request)
        }
        let causes = json.at("details.causes")?.arrayValue?.map {
            Cause(field: $0["field"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "")
        } ?? []
        return APIStatus(code: json["code"]?.intValue ?? code,
                         reason: json["reason"]?.stringValue.map(Reason.init) ?? fallbackReason(code),
                         message: json["message"]?.stringValue ?? "", causes: causes,
                         retryAfterSeconds: json.at("details.retryAfterSeconds")?.intValue, request: request)
    }

    private static func fallbackReason(_ code: Int) -> Reason {
        switch code {
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 409: return .conflict
        case 410: return .gone
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 503: return .serviceUnavailable
        case 504: return .timeout
        default: return code >= 500 ? .internalError : .badRequest
        }
    }
}

import Foundation
