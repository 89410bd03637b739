import Testing
import Foundation
import TestSupport

@Test func binaryIsBuiltBesideTheTests() {
    #expect(FileManager.default.isExecutableFile(atPath: TestPaths.binary.path))
}
