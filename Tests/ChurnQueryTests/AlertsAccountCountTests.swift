import ChurnIngest
import Foundation
import Testing
@testable import ChurnQuery

@Suite struct AlertsAccountCountTests {
    /// Two accounts whose ids differ only in how an accent is written (precomposed and
    /// decomposed), both flagged by `silent` in the last month, and one account that is not, with
    /// the months before it that `avg_previous(logins, 3)` looks back on.
    static func engine() throws -> QueryEngine {
        try engine(csv: """
            account_id,period,segment,logins,mrr_start,churned,days_since_user_contact
            \u{C4}1,2025-06,smb,10,5.00,0,60
            A\u{308}1,2025-06,smb,10,7.00,0,60
            B1,2025-03,ent,10,9.00,0,10
            B1,2025-04,ent,10,9.00,0,10
            B1,2025-05,ent,10,9.00,0,10
            B1,2025-06,ent,10,9.00,0,10

            """)
    }

    /// An engine over `csv` loaded with the cube `history.yaml`, in row groups of `rowGroupSize` rows.
    static func engine(csv: String, rowGroupSize: Int? = nil) throws -> QueryEngine {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-alerts-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(csv.utf8)))
        var options = IngestOptions(cubePath: PackagePaths.path("Tests/ChurnQueryTests/Behaviour/history.yaml"))
        if let rowGroupSize { options.rowGroupSize = rowGroupSize }
        return try QueryEngine(cube: CSVLoader.load(path: path, options: options).0)
    }

    /// ALERTS counts accounts as COUNT(DISTINCT account_id) does, by their bytes, and names the
    /// rules that fired for each of them apart.
    @Test func accountsAreCountedByTheirBytes() throws {
        let engine = try Self.engine()
        let distinct = try engine.execute("SELECT COUNT(DISTINCT account_id) FROM history WHERE days_since_user_contact > 45")
        #expect(distinct.rows == [[.integer(2)]])
        for statement in ["ALERTS silent", "ALERTS silent, adoption_drop"] {
            let alerts = try engine.execute(statement)
            #expect(alerts.rows.count == 2, "\(statement)")
            #expect(alerts.details.first { $0.name == "accounts_flagged" }?.value == .integer(2), "\(statement)")
            #expect(alerts.details.first { $0.name == "mrr_at_risk" }?.value == .decimal(units: 1_200, scale: 2), "\(statement)")
            #expect(alerts.text?.hasPrefix("ALERTS \(statement.dropFirst(7)) AS OF 2025-06: 2 active accounts flagged") == true, "\(statement)")
        }
        let both = try engine.execute("ALERTS silent, adoption_drop")
        #expect(both.rows.map { $0[1] } == [.text("silent"), .text("silent")])
        #expect(both.details.first { $0.name == "flagged_by_silent" }?.value == .integer(2))
    }

    /// An export with an account listed twice in the month and a row without an account, both
    /// flagged, across row groups of 2 rows: every row is listed, and the summary counts accounts
    /// as COUNT(DISTINCT account_id) does (NULL aside, each once) and sums every row's MRR.
    @Test func repeatedAndMissingAccountsCountAsCountDistinctDoes() throws {
        let engine = try Self.engine(csv: """
            account_id,period,segment,logins,mrr_start,churned,days_since_user_contact
            C1,2025-05,smb,10,1.00,0,60
            C1,2025-06,smb,10,2.00,0,60
            C1,2025-06,smb,10,3.00,0,61
            ,2025-06,smb,10,4.00,0,62
            D1,2025-06,smb,10,5.00,0,63
            D2,2025-06,smb,10,6.00,0,10
            D3,2025-06,smb,10,7.00,1,70

            """, rowGroupSize: 2)
        let distinct = try engine.execute("SELECT COUNT(DISTINCT account_id), SUM(mrr_start) FROM history "
                                          + "WHERE period = '2025-06' AND churned = 0 AND days_since_user_contact > 45")
        #expect(distinct.rows == [[.integer(2), .decimal(units: 1_400, scale: 2)]])
        let alerts = try engine.execute("ALERTS silent")
        #expect(alerts.rows.count == 4)
        #expect(alerts.details.first { $0.name == "accounts_flagged" }?.value == .integer(2))
        #expect(alerts.details.first { $0.name == "mrr_at_risk" }?.value == .decimal(units: 1_400, scale: 2))
        #expect(alerts.details.first { $0.name == "mrr_of_month" }?.value == .decimal(units: 2_000, scale: 2))
    }
}
