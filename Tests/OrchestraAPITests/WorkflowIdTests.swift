import Foundation
import Testing

@testable import OrchestraAPI

@Suite("Generated workflow ids")
struct WorkflowIdTests {
    @Test("A generated id is a lowercase UUID of version 4, variant 10xx, and ids differ")
    func randomIdsAreVersionFourUUIDs() throws {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = IdentifierSyntax.randomWorkflowId()
            #expect(id.count == 36)
            #expect(id == id.lowercased())
            let uuid = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(uuid.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version of \(id)")
            #expect(bytes[8] >> 6 == 0b10, "variant of \(id)")
            #expect(id.utf8.allSatisfy(IdentifierSyntax.isAllowed))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }
}
