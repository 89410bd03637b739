/// A change to a parsed file, applied by splicing new bytes at the changed node's byte range
/// so every other byte (comments, quoting, blank lines) stays as it was.
public enum YAMLEdit: Sendable {
    /// Replaces the value at the path (scalar or collection); the key or index must exist.
    case set(YAMLPath, YAMLNode)
    /// Adds `key: value` after the last entry of the mapping at the path.
    case insert(into: YAMLPath, key: String, value: YAMLNode)
    /// Adds an item after the last item of the sequence at the path.
    case append(to: YAMLPath, item: YAMLNode)
    /// Removes the mapping entry or sequence item at the path.
    case remove(YAMLPath)
}

extension YAMLStream {
    /// The file's bytes after applying `edits` in order to document `index`. New text follows
    /// the file's own indentation and sequence style. Throws `YAMLError.edit` when a path does
    /// not exist or does not hold the kind of node the edit needs.
    public func applying(_ edits: [YAMLEdit], inDocument index: Int = 0) throws -> [UInt8] {
        var current = self
        for edit in edits {
            let splicer = try YAMLSplicer(stream: current, documentIndex: index)
            let bytes = try splicer.apply(edit)
            do {
                current = try YAMLParser().parse(bytes, file: file)
            } catch {
                throw YAMLError.edit(file: file, path: "\(edit)", problem: "the edited text does not parse: \(error)")
            }
        }
        return current.bytes
    }
}
