internal import CGit2
import Foundation

/// Strings handed to libgit2 as a `git_strarray` (pathspecs, push refspecs), valid only
/// inside `withStrarray`.
struct CStringArray {
    private let strings: [String]

    init(_ strings: [String]) { self.strings = strings }

    func withStrarray<Result>(_ body: (git_strarray) -> Result) -> Result {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        var mutable = pointers
        return mutable.withUnsafeMutableBufferPointer { buffer in
            body(git_strarray(strings: buffer.baseAddress, count: buffer.count))
        }
    }
}
