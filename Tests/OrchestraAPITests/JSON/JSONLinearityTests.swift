import Foundation
import OrchestraAPI
import Testing

/// Parsing must take time linear in the input. Each document here parses in a few milliseconds in a
/// debug build; the bound is generous so the tests are not flaky, yet a quadratic or cubic parser
/// (the old `JSONDecoder` path took 13 s for the first one) fails it.
@Suite struct JSONLinearityTests {
    static let bound = Duration.seconds(1)

    /// The D1 payload: a 16 KiB `metadata` object of twenty 400-deep arrays, in a submit body.
    static let deepMetadataBody: [UInt8] = {
        let deep = String(repeating: "[", count: 400) + String(repeating: "]", count: 400)
        let metadata = "{" + (0..<20).map { #""metadata_key_\#($0)": \#(deep)"# }.joined(separator: ", ") + "}"
        let body =
            #"{"workflow_type": "parallel", "tasks": [{"agent_id": "a", "agent_role": "qa", "input_data": {"task": "x"}}], "metadata": "#
        return Array((body + metadata + "}").utf8)
    }()

    @Test func twentyDeepArraysInMetadata() throws {
        #expect(Self.deepMetadataBody.count > 16 * 1024)
        var value: JSONValue = nil
        let elapsed = try ContinuousClock().measure {
            value = try JSONValue.parse(Self.deepMetadataBody, maxDepth: 1000)
        }
        #expect(elapsed < Self.bound)
        #expect(value["metadata"]?.objectValue?.count == 20)
        #expect(Self.depth(of: value["metadata"]?["metadata_key_19"] ?? nil) == 400)
    }

    /// How many arrays are nested in `value`, following first elements.
    static func depth(of value: JSONValue) -> Int {
        var levels = 0
        var current = value
        while let elements = current.arrayValue {
            levels += 1
            guard let first = elements.first else { break }
            current = first
        }
        return levels
    }

    @Test func theSameBodyIsRejectedQuicklyAtTheDefaultLimit() {
        var error: WorkflowValidationError?
        let elapsed = ContinuousClock().measure {
            error = #expect(throws: WorkflowValidationError.self) {
                try WorkflowValidator().validate(data: Data(Self.deepMetadataBody))
            }
        }
        #expect(elapsed < Self.bound)
        #expect(error?.issues.first?.ctx == ["error": "nesting depth exceeds 64"])
    }

    @Test func aFlatArrayOfTwoHundredThousandElements() throws {
        let text = "[" + (0..<200_000).map { String($0 % 1000) }.joined(separator: ",") + "]"
        var value: JSONValue = nil
        let elapsed = try ContinuousClock().measure { value = try JSONValue.parse(text) }
        #expect(elapsed < Self.bound)
        #expect(value.arrayValue?.count == 200_000)
        #expect(value[199_999] == 999)
    }

    @Test func tenThousandNestedArraysWithTheLimitRaised() throws {
        let depth = 10_000
        let text = String(repeating: "[", count: depth) + "7" + String(repeating: "]", count: depth)
        var value: JSONValue = nil
        let elapsed = try ContinuousClock().measure { value = try JSONValue.parse(text, maxDepth: depth) }
        #expect(elapsed < Self.bound)
        var innermost = value
        var levels = 0
        while let elements = innermost.arrayValue {
            #expect(elements.count == 1)
            innermost = elements[0]
            levels += 1
        }
        #expect(levels == depth)
        #expect(innermost == 7)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text, maxDepth: depth - 1) }
        // Writing, comparing and hashing must cope with such a value too (the writer keeps its own stack).
        #expect(value.compactJSONString == text)
        #expect(value.compactJSONByteCount == text.utf8.count)
        #expect(value == (try JSONValue.parse(text, maxDepth: depth)))
        #expect(Set([value, value]).count == 1)
    }
}
