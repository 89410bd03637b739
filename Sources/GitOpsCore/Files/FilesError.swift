/// Failures reading or writing files; each names the path and the system's reason.
public enum FilesError: UserFacingError, Equatable {
    case open(path: String, reason: String)
    case read(path: String, reason: String)
    case write(path: String, reason: String)
    case exists(path: String)
    case rename(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open \(path): \(reason)"
        case .read(let path, let reason): "cannot read \(path): \(reason)"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        case .exists(let path): "\(path) already exists"
        case .rename(let from, let to, let reason): "cannot rename \(from) to \(to): \(reason)"
        }
    }

    /// The system's reason alone, for errors of other domains that name the file themselves.
    public var reason: String {
        switch self {
        case .open(_, let reason), .read(_, let reason), .write(_, let reason), .rename(_, _, let reason): reason
        case .exists: "already exists"
        }
    }

    public var hint: String? {
        switch self {
        case .exists: "remove it first or choose another output file"
        default: nil
        }
    }
}
