/// Where a command's data goes: stdout, rendered in the chosen format.
struct StandardOutput: Sendable {
    var stream: StandardStream = .standardOutput
    var color: Bool

    /// Writes text as is (callers include the trailing newline).
    func write(_ text: String) { stream.write(text) }

    /// Writes raw bytes (`Data`, `[UInt8]`), e.g. an age file or a decrypted binary secret.
    func write<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 { stream.write(bytes: bytes) }

    /// Renders `value` in `format` and writes it.
    func render(_ value: some Renderable, as format: OutputFormat) throws {
        write(try format.render(value, color: color))
    }
}
