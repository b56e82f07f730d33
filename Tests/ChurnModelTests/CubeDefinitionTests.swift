import Foundation
import Testing
@testable import ChurnModel

private let minimal = """
cube: tiny
dimensions:
  period: { type: month }
  region: {}
  country: {}
levels:
  quarter: { from: period, function: quarter }
hierarchies:
  geography: [region, country]
facts:
  churned: flag
  mrr_start: money
measures:
  logo_churn_rate:
    formula: SUM(churned) / COUNT(*)
    format: percent
    additivity: non-additive
"""

private func expectError(_ yaml: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try CubeDefinition.parse(yaml: yaml, file: "cube.yaml")
        Issue.record("expected an error", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)" == expected, sourceLocation: sourceLocation)
    }
}

@Suite struct CubeDefinitionTests {
    @Test func bundledSubscriptionsCubeDeclaresTheDomain() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Cubes/subscriptions.yaml").standardized.path
        let cube = try CubeDefinition.load(path: path)
        #expect(cube.name == "subscriptions")
        #expect(cube.dimensions.count == 13)
        #expect(cube.facts.count == 18)
        #expect(cube.measures.map(\.name) == [
            "customers", "accounts", "logo_churn_rate", "cancellation_rate", "renewal_rate", "revenue_churn_rate",
            "downsell_rate", "upsell_rate", "crosssell_rate", "grr", "nrr", "mrr", "seat_utilization", "avg_nps",
            "tickets_per_account",
        ])
        #expect(cube.measure(named: "MRR")?.additivity == .semiAdditive(over: "period"))
        #expect(cube.measure(named: "nrr")?.format == .percent)
        #expect(cube.hierarchy(named: "time")?.levels == ["year", "quarter", "period"])
        #expect(cube.hierarchy(named: "geography")?.levels == ["region", "country"])
        #expect(cube.fact(named: "mrr_start")?.type == .decimal(scale: 2))
        #expect(cube.dimension(named: "period")?.kind == .month)
    }

    @Test func minimalCubeParses() throws {
        let cube = try CubeDefinition.parse(yaml: minimal, file: "cube.yaml")
        #expect(cube.levels == [DerivedLevel(name: "quarter", source: "period", function: .quarter)])
        #expect(cube.place(of: "logo_churn_rate") == "cube.yaml:14")
        #expect(cube.measure(named: "logo_churn_rate")?.line == 15)
    }

    @Test func derivedLevelFunctions() {
        #expect(DerivedLevel.Function.quarter.apply("2025-08") == "2025-Q3")
        #expect(DerivedLevel.Function.year.apply("2025-08") == "2025")
        #expect(DerivedLevel.Function.quarter.apply("2025-13") == nil)
        #expect(DerivedLevel.Function.year.apply("25-01") == nil)
    }

    @Test func hierarchyCycleIsNamedWithItsLine() {
        let yaml = minimal.replacingOccurrences(of: "  geography: [region, country]",
                                                with: "  geography: [region, country]\n  backwards: [country, region]")
        expectError(yaml, "cube.yaml:9: hierarchies form a cycle: region > country > region")
    }

    @Test func hierarchyNamingAnUnknownLevel() {
        let yaml = minimal.replacingOccurrences(of: "[region, country]", with: "[region, county]")
        expectError(yaml, "cube.yaml:9: hierarchy 'geography' names 'county', which is neither a dimension nor a level")
    }

    @Test func unknownFactKindPointsAtTheValue() {
        let yaml = minimal.replacingOccurrences(of: "mrr_start: money", with: "mrr_start: dollars")
        expectError(yaml, "cube.yaml:12:14: fact 'mrr_start' has unknown kind 'dollars'; expected one of integer, flag, money, double")
    }

    @Test func levelFromATextDimension() {
        let yaml = minimal.replacingOccurrences(of: "{ from: period, function: quarter }", with: "{ from: region, function: quarter }")
        expectError(yaml, "cube.yaml:7: level 'quarter' needs a month dimension (type: month); 'region' is text")
    }

    @Test func duplicateNames() {
        let yaml = minimal.replacingOccurrences(of: "  churned: flag", with: "  churned: flag\n  region: integer")
        expectError(yaml, "cube.yaml:12:3: 'region' is declared twice (first on line 4); dimensions, levels, hierarchies, facts and measures share one namespace")
    }

    @Test func invalidYAMLReportsItsLine() {
        expectError("cube: x\ndimensions:\n  a: {\n", "cube.yaml:4:1: invalid YAML: did not find expected node content while parsing a flow node")
    }

    @Test func missingFile() {
        do {
            _ = try CubeDefinition.load(path: "/nonexistent/cube.yaml")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "/nonexistent/cube.yaml: cannot read the cube definition: no such file")
        }
    }

    @Test func formulaThatDoesNotParse() {
        let yaml = minimal.replacingOccurrences(of: "SUM(churned) / COUNT(*)", with: "SUM(churned) / ")
        expectError(yaml, "cube.yaml:15: measure 'logo_churn_rate': formula 'SUM(churned) /' does not parse: expected an expression after '/' at column 15")
    }

    @Test func formulaNamingAnUnknownColumn() {
        let yaml = minimal.replacingOccurrences(of: "SUM(churned) / COUNT(*)", with: "SUM(chruned) / COUNT(*)")
        expectError(yaml, "cube.yaml:15: measure 'logo_churn_rate' names 'chruned', which is not a column of the cube; did you mean 'churned'?")
    }

    @Test func formulaUsingAColumnOutsideAnAggregate() {
        let yaml = minimal.replacingOccurrences(of: "SUM(churned) / COUNT(*)", with: "churned / COUNT(*)")
        expectError(yaml, "cube.yaml:15: measure 'logo_churn_rate' uses 'churned' outside an aggregate such as SUM(churned)")
    }
}
