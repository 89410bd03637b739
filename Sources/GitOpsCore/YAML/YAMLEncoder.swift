/// Builds nodes from `Encodable` values, keys in the order the type encodes them (declaration
/// order for synthesized conformances). Strings become string nodes (quoted on emit only when
/// needed), nil optionals are left out, and a `YAMLNode` property is inserted as it is.
public struct YAMLEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> YAMLNode {
        let slot = EncodingSlot()
        try NodeEncoder(slot: slot, codingPath: []).encodeValue(value)
        return slot.node()
    }
}

/// One value under construction. A class because nested containers keep writing into it
/// after the call that created them returns.
final class EncodingSlot {
    enum State {
        case empty
        case scalar(YAMLNode)
        case mapping([(String, EncodingSlot)])
        case sequence([EncodingSlot])
    }

    var state = State.empty

    func node() -> YAMLNode {
        switch state {
        case .empty: return .null
        case let .scalar(node): return node
        case let .mapping(pairs): return YAMLNode(mapping: pairs.map { YAMLPair($0.0, $0.1.node()) })
        case let .sequence(items): return YAMLNode(sequence: items.map { $0.node() })
        }
    }

    func child(forKey key: String) -> EncodingSlot {
        var pairs: [(String, EncodingSlot)] = []
        if case let .mapping(existing) = state { pairs = existing }
        if let found = pairs.first(where: { $0.0 == key }) { return found.1 }
        let slot = EncodingSlot()
        pairs.append((key, slot))
        state = .mapping(pairs)
        return slot
    }

    func appendChild() -> EncodingSlot {
        var items: [EncodingSlot] = []
        if case let .sequence(existing) = state { items = existing }
        let slot = EncodingSlot()
        items.append(slot)
        state = .sequence(items)
        return slot
    }
}

struct NodeEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func encodeValue<T: Encodable>(_ value: T) throws {
        if let node = value as? YAMLNode {
            slot.state = .scalar(node)
            return
        }
        try value.encode(to: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .mapping = slot.state {} else { slot.state = .mapping([]) }
        return KeyedEncodingContainer(KeyedNodeEncoder<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .sequence = slot.state {} else { slot.state = .sequence([]) }
        return UnkeyedNodeEncoder(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }
}

extension NodeEncoder: SingleValueEncodingContainer {
    func encodeNil() { slot.state = .scalar(.null) }
    func encode(_ value: Bool) { slot.state = .scalar(YAMLNode(bool: value)) }
    func encode(_ value: String) { slot.state = .scalar(YAMLNode(string: value)) }
    func encode(_ value: Double) { slot.state = .scalar(YAMLNode(double: value)) }
    func encode(_ value: Float) { slot.state = .scalar(YAMLNode(double: Double(value))) }
    func encode(_ value: Int) { slot.state = .scalar(YAMLNode(int: value)) }
    func encode(_ value: Int8) { encode(Int(value)) }
    func encode(_ value: Int16) { encode(Int(value)) }
    func encode(_ value: Int32) { encode(Int(value)) }
    func encode(_ value: Int64) { slot.state = .scalar(YAMLNode(scalar: String(value))) }
    func encode(_ value: UInt) { slot.state = .scalar(YAMLNode(scalar: String(value))) }
    func encode(_ value: UInt8) { encode(Int(value)) }
    func encode(_ value: UInt16) { encode(Int(value)) }
    func encode(_ value: UInt32) { slot.state = .scalar(YAMLNode(scalar: String(value))) }
    func encode(_ value: UInt64) { slot.state = .scalar(YAMLNode(scalar: String(value))) }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }
}

private struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    private func encoder(for key: Key) -> NodeEncoder {
        NodeEncoder(slot: slot.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    func encodeNil(forKey key: Key) { encoder(for: key).encodeNil() }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder(for: key).encodeValue(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        encoder(for: key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder(for: key).unkeyedContainer() }
    func superEncoder() -> any Encoder { NodeEncoder(slot: slot.child(forKey: "super"), codingPath: codingPath) }
    func superEncoder(forKey key: Key) -> any Encoder { encoder(for: key) }
}

private struct UnkeyedNodeEncoder: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var count: Int {
        if case let .sequence(items) = slot.state { return items.count }
        return 0
    }

    private func next() -> NodeEncoder { NodeEncoder(slot: slot.appendChild(), codingPath: codingPath) }

    func encodeNil() { next().encodeNil() }
    func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    func superEncoder() -> any Encoder { next() }
}

extension YAMLNode: Encodable {
    /// Only `YAMLEncoder` keeps the node as it is; other encoders get its plain data.
    public func encode(to encoder: any Encoder) throws {
        if let nodeEncoder = encoder as? NodeEncoder {
            nodeEncoder.slot.state = .scalar(self)
            return
        }
        switch content {
        case .scalar:
            var container = encoder.singleValueContainer()
            switch resolved() {
            case .null: try container.encodeNil()
            case let .bool(b): try container.encode(b)
            case let .int(i): try container.encode(i)
            case let .unsignedInt(u): try container.encode(u)
            case let .float(d): try container.encode(d)
            case let .timestamp(t): try container.encode(t.rfc3339)
            case let .string(s): try container.encode(s)
            }
        case let .sequence(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case let .mapping(pairs):
            var container = encoder.container(keyedBy: DynamicKey.self)
            for pair in pairs { try container.encode(pair.value, forKey: DynamicKey(stringValue: pair.key.scalar ?? "")) }
        }
    }
}

private struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
