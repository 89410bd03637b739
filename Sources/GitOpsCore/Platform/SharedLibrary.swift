/// Opening a C library on first use instead of linking it (libgit2, libcurl: see the shim
/// headers of CGit2 and CCurl), so that the commands which never need it do not pay for
/// loading it and its dependencies at start-up.
enum SharedLibrary {
    /// Why no candidate file gave a usable library.
    struct Unavailable: Error, Equatable {
        var reason: String
    }

    /// Opens one file and fills a function table from it: 0 on success; otherwise the reason
    /// is written to the buffer (of the given size) and the result is -1 when the file could
    /// not be opened, -2 when it opened but is not usable (too old, another ABI, a missing
    /// function). The C shims' `*_open` functions have this shape.
    typealias Open<Table> = (String, UnsafeMutablePointer<Table>, UnsafeMutablePointer<CChar>, Int) -> Int32

    /// The table filled from the first of `candidates` that opens and is usable.
    ///
    /// When none is, a file that opened but was unusable explains more ("libgit2.so is 1.7,
    /// gitopsctl was built for 1.5") than an absent one; among absent ones the first is named,
    /// as it is the file the build expects.
    static func load<Table>(_ candidates: [String], open: Open<Table>) -> Result<Table, Unavailable> {
        let table = UnsafeMutablePointer<Table>.allocate(capacity: 1)
        defer { table.deallocate() }
        var buffer = [CChar](repeating: 0, count: 512)
        var absent: String?
        var unusable: String?
        for name in candidates {
            let code = buffer.withUnsafeMutableBufferPointer { reason -> Int32 in
                guard let start = reason.baseAddress else { return -1 }
                return open(name, table, start, reason.count)
            }
            if code == 0 { return .success(table.pointee) }
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if code == -2 { unusable = unusable ?? reason } else { absent = absent ?? reason }
        }
        return .failure(Unavailable(reason: unusable ?? absent ?? "no library file to try"))
    }
}
