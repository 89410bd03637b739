internal import CZlib

/// gunzip through zlib: Helm stores a release as base64(gzip(JSON)), and Foundation on Linux has
/// no gzip API. The only file that touches zlib.
enum Gunzip {
    /// Helm checks for these three bytes before unzipping (helm `storage/driver/util.go`).
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x1f, 0x8b, 0x08]) }

    static func decompress(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var source = input
        let status: Int32 = source.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            var result = Z_OK
            while result == Z_OK {
                result = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if result == Z_BUF_ERROR, stream.avail_in > 0 { result = Z_OK }
            }
            return result
        }
        return status == Z_STREAM_END ? output : nil
    }
}
