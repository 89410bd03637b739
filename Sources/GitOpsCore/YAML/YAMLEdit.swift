/// A change to a parsed file, applied by splicing new bytes at the changed node's byte range
/// so every other byte (comments, quoting, blank lines) stays as it was.
public enum YAMLEdit: Sendable {
    /// Replaces the value at the path (scalar or collection); the key or index must exist.
    case set(YAMLPath, YAMLNode)
    /// Adds `key: value` after the last entry of the mapping at the path.
    case insert(into: YAMLPath, key: String, value: YAMLNode)
    /// Adds an item after the last item of the sequence at the path. In a file that ends
    /// with that sequence and no final line break, the new last line has none either.
    case append(to: YAMLPath, item: YAMLNode)
    /// Adds an item before item `at` of the sequence at the path (`at` equal to the item count
    /// appends). Comment lines directly above that item stay with it, below the new one; a
    /// comment block with a blank line above it heads a section and stays above the new item.
    case insertItem(into: YAMLPath, at: Int, item: YAMLNode)
    /// Adds a copy of the sequence item at the path after its sequence's last item, written as
    /// the item is written (dash, spacing, indentation, quoting) but without its comments,
    /// which describe the original.
    case appendCopy(of: YAMLPath)
    /// Removes the mapping entry or sequence item at the path, with the comment lines directly
    /// above it (not a section comment set off by a blank line). Removing what `append` or
    /// `insertItem` added gives back the original bytes.
    case remove(YAMLPath)
    /// Removes every item (or entry) of the block collection at the path with their comment
    /// lines, leaving its key with no value (`resources:`), which kustomize and sops read as
    /// empty. The key's own line comment and a section comment set off by a blank line stay.
    case clear(YAMLPath)
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
