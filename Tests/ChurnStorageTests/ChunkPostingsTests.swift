import Testing
@testable import ChurnStorage

/// Postings list each code's rows in ascending order, rows of unlisted codes (NULL) apart, and
/// are offered only for plain chunks of few cycling codes.
@Suite struct ChunkPostingsTests {
    @Test func eachCodeListsItsRowsInOrder() {
        // Months 1...6 cycling inside accounts, with NULL (0) now and then.
        let rowCodes: [UInt32] = (0..<1_000).map { $0 % 97 == 0 ? 0 : UInt32($0 % 6 + 1) }
        let postings = rowCodes.withUnsafeBufferPointer { ChunkPostings(codes: [1, 2, 3, 4, 5, 6], rowCodes: $0) }
        for code in UInt32(1)...6 {
            let expected = rowCodes.indices.filter { rowCodes[$0] == code }.map(UInt16.init)
            #expect(Array(postings.rows(of: code)) == expected)
        }
        #expect(postings.rows(of: 7).isEmpty)
        #expect(postings.rows(of: 0).isEmpty)
        #expect(postings.rows.count == rowCodes.count)
        #expect(Int(postings.starts[6]) == rowCodes.filter { $0 != 0 }.count)
    }

    @Test func aChunkOfCyclingCodesQualifiesAndRunsDoNot() throws {
        let cycling: [Int64] = (0..<4_096).map { Int64($0 % 36 + 1) }
        let runs: [Int64] = (0..<4_096).map { Int64($0 / 512 + 1) }
        let few: [Int64] = (0..<4_096).map { Int64($0 % 3 + 1) }
        func chunk(_ values: [Int64]) throws -> ColumnChunk {
            try values.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension, level: nil) }
        }
        #expect(ChunkPostings.applies(to: try chunk(cycling)))
        #expect(!ChunkPostings.applies(to: try chunk(runs)))
        #expect(!ChunkPostings.applies(to: try chunk(few)))
    }

    @Test func theStoreKeepsWhatWasBuilt() throws {
        let cache = PostingsCache(rowGroupCount: 3)
        var builds = 0
        let codes: [UInt32] = [1, 2, 3, 4, 1, 2]
        for _ in 0..<3 {
            let postings = cache.postings(column: 1, rowGroup: 2) {
                builds += 1
                return codes.withUnsafeBufferPointer { ChunkPostings(codes: [1, 2, 3, 4], rowCodes: $0) }
            }
            #expect(Array(postings.rows(of: 2)) == [1, 5])
        }
        #expect(builds == 1)
    }
}
