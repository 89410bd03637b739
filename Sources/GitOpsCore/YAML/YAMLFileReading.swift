import Foundation

extension YAMLParser {
    /// Reads and parses the file at `path`; errors name the path.
    public func parseFile(atPath path: String) throws -> YAMLStream {
        try parse(try YAMLFileReading.bytes(atPath: path), file: path)
    }
}

extension YAMLParser {
    /// Reads the file at `path` and hands over its documents one at a time.
    public func parseDocuments(atPath path: String, _ body: (YAMLDocument) throws -> Void) throws {
        try parseDocuments(try YAMLFileReading.bytes(atPath: path), file: path, body)
    }
}

extension JSONParser {
    /// Reads and parses the JSON file at `path`; errors name the path.
    public func parseFile(atPath path: String) throws -> YAMLStream {
        try parse(try YAMLFileReading.bytes(atPath: path), file: path)
    }
}

enum YAMLFileReading {
    static func bytes(atPath path: String) throws -> [UInt8] {
        do { return try FileBytes.read(atPath: path) } catch { throw YAMLError.unreadable(file: path, reason: error.reason) }
    }
}
