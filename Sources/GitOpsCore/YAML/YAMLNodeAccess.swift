// Reading and changing nodes in memory: `node["spec"]?["path"]?.string`, ordered entries,
// set/insert/remove helpers.

extension YAMLNode {
    /// The scalar's text, or nil for a collection.
    public var scalar: String? {
        if case let .scalar(text) = content { return text }
        return nil
    }

    /// The scalar's text when it is a string under go-yaml v3 rules (`"42"`, `hello`), else nil.
    public var string: String? {
        guard case let .scalar(text) = content else { return nil }
        if case .string = resolved() { return text }
        return nil
    }

    /// The value as an integer when it resolves to one (`42`, `0x1F`).
    public var int: Int? {
        if case let .int(i) = resolved() { return Int(exactly: i) }
        return nil
    }

    /// The value as a boolean (`true`/`false`; also `yes`/`on`… under `.yaml11`).
    public func bool(_ profile: YAMLProfile = .goYAMLv3) -> Bool? {
        if case let .bool(b) = resolved(profile) { return b }
        return nil
    }

    /// The value as a number (ints widen to Double).
    public var double: Double? {
        switch resolved() {
        case let .float(d): return d
        case let .int(i): return Double(i)
        case let .unsignedInt(u): return Double(u)
        default: return nil
        }
    }

    /// Whether this is a null scalar (`null`, `~`, empty).
    public var isNull: Bool {
        if case .null = resolved() { return true }
        return false
    }

    /// A scalar that reads as null (`null`, `~`, empty). Unlike `isNull`, never true for a
    /// mapping or sequence.
    public var isNullScalar: Bool { isScalar && isNull }

    /// The scalar's typed value under `profile`; `.string` of nothing for collections.
    public func resolved(_ profile: YAMLProfile = .goYAMLv3) -> YAMLScalarValue {
        guard case let .scalar(text) = content else { return .null }
        return YAMLScalarResolver.resolve(text, tag: tag, style: style, profile: profile)
    }

    public var isMapping: Bool { if case .mapping = shape { return true }; return false }
    public var isSequence: Bool { if case .sequence = shape { return true }; return false }
    public var isScalar: Bool { isScalarShape }

    /// A mapping's entries in order (empty for other nodes).
    public var entries: [YAMLPair] {
        if case let .mapping(pairs) = content { return pairs }
        return []
    }

    /// A sequence's items in order (empty for other nodes).
    public var items: [YAMLNode] {
        if case let .sequence(items) = content { return items }
        return []
    }

    /// How many nodes this subtree holds, itself included (keys count as nodes). Parsed
    /// collections are walked in place, without copying their children out.
    public var nodeCount: Int {
        switch shape {
        case .scalar: return 1
        case let .sequence(items): return items.reduce(1) { $0 + $1.nodeCount }
        case let .mapping(pairs): return pairs.reduce(1) { $0 + $1.key.nodeCount + $1.value.nodeCount }
        }
    }

    /// A mapping's scalar keys in order.
    public var keys: [String] {
        guard case let .mapping(pairs) = shape else { return [] }
        return pairs.compactMap { $0.key.scalar }
    }

    /// The index of the entry whose key text is `key`.
    public func index(ofKey key: String) -> Int? {
        guard case let .mapping(pairs) = shape else { return nil }
        return pairs.firstIndex { $0.key.hasScalarText(key) }
    }

    /// The value under `key` in a mapping. Setting a value replaces it in place (keeping the
    /// key's comments) or appends a new entry; setting nil removes the entry.
    public subscript(key: String) -> YAMLNode? {
        get { value(forKey: key) }
        set {
            if let newValue { set(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    /// The item at `index` of a sequence, nil when out of range or not a sequence.
    public subscript(index: Int) -> YAMLNode? {
        get {
            guard case let .sequence(items) = shape, items.indices.contains(index) else { return nil }
            return items[index]
        }
        set {
            guard case var .sequence(items) = content, items.indices.contains(index) else { return }
            content = .scalar("")
            if let newValue { items[index] = newValue } else { items.remove(at: index) }
            content = .sequence(items)
        }
    }

    /// Sets `key` to `value`: replaces the value of an existing entry, or appends an entry
    /// (turning a null or empty node into a mapping).
    public mutating func set(_ key: String, _ value: YAMLNode) {
        var pairs = takeMapping()
        if let i = pairs.firstIndex(where: { $0.key.scalar == key }) {
            pairs[i].value = value
        } else {
            pairs.append(YAMLPair(key, value))
        }
        content = .mapping(pairs)
    }

    /// Inserts a new entry at `position` (clamped), or replaces the value if the key exists.
    public mutating func insert(_ key: String, _ value: YAMLNode, at position: Int) {
        var pairs = takeMapping()
        if let i = pairs.firstIndex(where: { $0.key.scalar == key }) {
            pairs[i].value = value
        } else {
            pairs.insert(YAMLPair(key, value), at: max(0, min(position, pairs.count)))
        }
        content = .mapping(pairs)
    }

    /// Removes the entry for `key`, returning its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> YAMLNode? {
        guard case var .mapping(pairs) = content,
              let i = pairs.firstIndex(where: { $0.key.scalar == key }) else { return nil }
        content = .scalar("")
        let removed = pairs.remove(at: i)
        content = .mapping(pairs)
        return removed.value
    }

    /// Appends to a sequence (turning a null or empty node into a sequence).
    public mutating func append(_ item: YAMLNode) {
        insert(item, at: items.count)
    }

    /// Inserts into a sequence before item `index` (turning a null or empty node into a
    /// sequence); an index past the end appends.
    public mutating func insert(_ item: YAMLNode, at index: Int) {
        var items: [YAMLNode]
        if case let .sequence(existing) = content { items = existing } else { items = [] ; style = .block }
        content = .scalar("")
        items.insert(item, at: min(max(index, 0), items.count))
        content = .sequence(items)
    }

    /// Moves out a mapping's pairs without copying (content is reset until reassigned).
    private mutating func takeMapping() -> [YAMLPair] {
        guard case let .mapping(pairs) = content else {
            style = .block
            return []
        }
        content = .scalar("")
        return pairs
    }
}

extension YAMLNode: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self.init(string: value) }
    public init(integerLiteral value: Int) { self.init(int: value) }
    public init(booleanLiteral value: Bool) { self.init(bool: value) }
    public init(floatLiteral value: Double) { self.init(double: value) }
    public init(arrayLiteral elements: YAMLNode...) { self.init(sequence: elements) }
    public init(dictionaryLiteral elements: (String, YAMLNode)...) {
        self.init(mapping: elements.map { YAMLPair($0.0, $0.1) })
    }
}
