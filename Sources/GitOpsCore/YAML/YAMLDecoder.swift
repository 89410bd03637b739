/// Decodes `Decodable` models from nodes. Errors name the file, the path inside the document
/// (`spec.dependsOn[1].name`) and the node's `line:col`. A property of type `YAMLNode` receives
/// the node itself, so a model can keep fields it does not know and re-emit them unchanged.
public struct YAMLDecoder: Sendable {
    /// How plain scalars are typed (booleans differ between the profiles).
    public var profile: YAMLProfile

    public init(profile: YAMLProfile = .goYAMLv3) { self.profile = profile }

    public func decode<T: Decodable>(_ type: T.Type, from node: YAMLNode, file: String = "<memory>") throws -> T {
        let decoder = NodeDecoder(node: node, path: YAMLPath(), file: file, profile: profile)
        do {
            return try decoder.decodeValue(type)
        } catch let error as YAMLError {
            throw error
        } catch let error as DecodingError {
            throw decoder.translate(error)
        }
    }
}

/// The `Decoder` for one node.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let path: YAMLPath
    let file: String
    let profile: YAMLProfile

    var codingPath: [any CodingKey] {
        path.components.map { component -> any CodingKey in
            switch component {
            case let .key(k): return PathKey(stringValue: k)
            case let .index(i): return PathKey(intValue: i)
            }
        }
    }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ node: YAMLNode, _ component: YAMLPath.Component) -> NodeDecoder {
        NodeDecoder(node: node, path: path.appending(component), file: file, profile: profile)
    }

    func failure(_ problem: String) -> YAMLError {
        .decoding(file: file, path: path.description, at: node.source.start, problem: problem)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == YAMLNode.self, let node = node as? T { return node }
        return try T(from: self)
    }

    func translate(_ error: DecodingError) -> YAMLError {
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context),
             let .keyNotFound(_, context), let .dataCorrupted(context):
            return failure(context.debugDescription)
        @unknown default:
            return failure("\(error)")
        }
    }

    var kindName: String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case let .scalar(text): return node.isNull ? "null" : "\"\(text)\""
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard node.isMapping else { throw failure("expected a mapping, found \(kindName)") }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard node.isSequence || node.isNull else { throw failure("expected a sequence, found \(kindName)") }
        return UnkeyedNodeContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

private struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

extension NodeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let b = node.bool(profile) else { throw failure("expected a boolean, found \(kindName)") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        // go-yaml assigns any non-null scalar's text to a string field.
        guard let text = node.scalar, !node.isNull else { throw failure("expected a string, found \(kindName)") }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let d = node.double else { throw failure("expected a number, found \(kindName)") }
        return d
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value: T?
        switch node.resolved(profile) {
        case let .int(i): value = T(exactly: i)
        case let .unsignedInt(u): value = T(exactly: u)
        case let .float(d): value = T(exactly: d)
        default: throw failure("expected an integer, found \(kindName)")
        }
        guard let value else { throw failure("\(kindName) does not fit in \(T.self)") }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { decoder.node.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { decoder.node[key.stringValue] != nil }

    private func child(_ key: Key) throws -> NodeDecoder {
        guard let value = decoder.node[key.stringValue] else {
            throw decoder.failure("missing required field '\(key.stringValue)'")
        }
        return decoder.child(value, .key(key.stringValue))
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.node[key.stringValue]?.isNull ?? true }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeValue(type) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = decoder.node[key.stringValue], !(value.isNull && type != YAMLNode.self) else { return nil }
        return try decoder.child(value, .key(key.stringValue)).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    /// Read once: `items` of a parsed sequence is a fresh copy on every call.
    private let items: [YAMLNode]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(decoder: NodeDecoder) {
        self.decoder = decoder
        items = decoder.node.items
    }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else { throw decoder.failure("fewer items than expected") }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], .index(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

extension YAMLNode: Decodable {
    /// Only `YAMLDecoder` can hand over a node; other decoders get an error.
    public init(from decoder: any Decoder) throws {
        guard let nodeDecoder = decoder as? NodeDecoder else {
            throw DecodingError.typeMismatch(YAMLNode.self, .init(codingPath: decoder.codingPath,
                                                                  debugDescription: "YAMLNode decodes only with YAMLDecoder"))
        }
        self = nodeDecoder.node
    }
}
