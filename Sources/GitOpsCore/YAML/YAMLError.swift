/// Everything that can go wrong reading, decoding, editing or writing YAML and JSON. Every case
/// names the file and `line:col` (or the path inside the document) so a user can find it.
public enum YAMLError: UserFacingError, Equatable {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// libyaml rejected the text; `problem` is libyaml's own wording.
    case syntax(file: String, at: YAMLMark, problem: String, context: String?)
    /// The bytes are not UTF-8 (YAML 1.2 and JSON files must be); `at` is the first bad byte.
    case notUTF8(file: String, at: YAMLMark, byte: UInt8)
    case duplicateKey(file: String, key: String, at: YAMLMark, firstAt: YAMLMark)
    case undefinedAlias(file: String, name: String, at: YAMLMark)
    /// Aliases expanded to more nodes than allowed ("billion laughs").
    case aliasExpansionLimit(file: String, at: YAMLMark, limit: Int)
    case depthLimit(file: String, at: YAMLMark, limit: Int)
    /// Malformed JSON.
    case jsonSyntax(file: String, at: YAMLMark, problem: String)
    /// A value JSON cannot represent (NaN, infinity) at a path of the document.
    case jsonUnsupportedValue(path: String, value: String)
    /// A typed model could not be read from a node.
    case decoding(file: String, path: String, at: YAMLMark?, problem: String)
    /// A surgical edit could not be applied.
    case edit(file: String, path: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .syntax(file, at, problem, context):
            let ctx = context.map { " \($0)" } ?? ""
            return "\(file):\(at): invalid YAML: \(problem)\(ctx)"
        case let .notUTF8(file, at, byte):
            // A UTF-16 byte-order mark is the usual way a Windows editor produces this.
            let hint = at.offset == 0 && (byte == 0xFF || byte == 0xFE) ? " (it looks like UTF-16; save it as UTF-8)" : ""
            let hex = String(byte, radix: 16, uppercase: true)
            return "\(file):\(at): not UTF-8 text (byte 0x\(hex.count == 1 ? "0" : "")\(hex) at offset \(at.offset))\(hint); "
                + "YAML and JSON files must be UTF-8"
        case let .duplicateKey(file, key, at, firstAt):
            return "\(file):\(at): mapping key \"\(key)\" already defined at line \(firstAt.line)"
        case let .undefinedAlias(file, name, at):
            return "\(file):\(at): unknown anchor '\(name)' referenced"
        case let .aliasExpansionLimit(file, at, limit):
            return "\(file):\(at): aliases expand to more than \(limit) nodes; refusing a possible alias bomb"
        case let .depthLimit(file, at, limit):
            return "\(file):\(at): nesting deeper than \(limit) levels"
        case let .jsonSyntax(file, at, problem):
            return "\(file):\(at): invalid JSON: \(problem)"
        case let .jsonUnsupportedValue(path, value):
            return "cannot write \(path) as JSON: JSON has no number \(value)"
        case let .decoding(file, path, at, problem):
            let location = at.map { ":\($0)" } ?? ""
            return "\(file)\(location): \(path): \(problem)"
        case let .edit(file, path, problem):
            return "\(file): cannot edit \(path): \(problem)"
        }
    }
}
