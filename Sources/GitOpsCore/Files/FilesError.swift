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

    public var hint: String? {
        switch self {
        case .exists: "remove it first or choose another output file"
        default: nil
        }
    }
}
