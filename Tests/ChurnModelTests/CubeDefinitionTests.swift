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

    @Test func formulaOfThousandsOfTermsIsChecked() throws {
        let terms = Array(repeating: "SUM(churned)", count: 4_000).joined(separator: " + ")
        let valid = minimal.replacingOccurrences(of: "SUM(churned) / COUNT(*)", with: "(\(terms)) / COUNT(*)")
        #expect(try CubeDefinition.parse(yaml: valid, file: "cube.yaml").measures.first?.name == "logo_churn_rate")
        let invalid = minimal.replacingOccurrences(of: "SUM(churned) / COUNT(*)", with: "(\(terms) + churned) / COUNT(*)")
        expectError(invalid, "cube.yaml:15: measure 'logo_churn_rate' uses 'churned' outside an aggregate such as SUM(churned)")
    }
}

@Suite struct CubeDefinitionRenderingTests {
    private func expectRoundTrip(_ definition: CubeDefinition, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = definition.yamlText
        let reread = try CubeDefinition.parse(yaml: text, file: "rendered.yaml")
        #expect(reread.name == definition.name, sourceLocation: sourceLocation)
        #expect(reread.description == definition.description, sourceLocation: sourceLocation)
        #expect(reread.dimensions == definition.dimensions, sourceLocation: sourceLocation)
        #expect(reread.levels == definition.levels, sourceLocation: sourceLocation)
        #expect(reread.hierarchies == definition.hierarchies, sourceLocation: sourceLocation)
        #expect(reread.facts == definition.facts, sourceLocation: sourceLocation)
        let strip = { (measures: [MeasureDefinition]) in measures.map { measure -> MeasureDefinition in
            var copy = measure
            copy.line = 0
            return copy
        } }
        #expect(strip(reread.measures) == strip(definition.measures), sourceLocation: sourceLocation)
        #expect(reread.rules.map { [$0.name, $0.condition, $0.says] } == definition.rules.map { [$0.name, $0.condition, $0.says] },
                sourceLocation: sourceLocation)
        #expect(reread.yamlText == text, sourceLocation: sourceLocation)
    }

    @Test func bundledCubeRoundTrips() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Cubes/subscriptions.yaml").standardized.path
        let definition = try CubeDefinition.load(path: path)
        try expectRoundTrip(definition)
        #expect(definition.yamlText.contains("  period: { type: month, description: \"the month the row describes (YYYY-MM)\" }"))
        #expect(definition.rules.count == 3)
    }

    @Test func awkwardTextAndNamesRoundTrip() throws {
        let definition = CubeDefinition(
            name: "facts_2025", description: "inferred from /tmp/a: \"b\" #c\nline\ttab \\ é",
            dimensions: [DimensionDefinition(name: "yes"), DimensionDefinition(name: "Null", kind: .quarter),
                         DimensionDefinition(name: "période", kind: .month, description: "- dash: {x}")],
            levels: [DerivedLevel(name: "year", source: "période", function: .year)],
            hierarchies: [Hierarchy(name: "h", levels: ["yes", "Null"])],
            facts: [FactColumn(name: "on", kind: .flag), FactColumn(name: "x1", kind: .double)],
            measures: [MeasureDefinition(name: "m", formula: "SUM(on) / COUNT(*) -- 'q'", format: .percent,
                                         additivity: .semiAdditive(over: "période"), description: "%: ok")],
            origin: "inferred")
        try expectRoundTrip(definition)
    }

    @Test func inferredStyleDefinitionRoundTrips() throws {
        let definition = CubeDefinition(
            name: "facts", description: "inferred from facts.csv",
            dimensions: [DimensionDefinition(name: "account_id"), DimensionDefinition(name: "period", kind: .month)],
            facts: [FactColumn(name: "mrr", kind: .money)],
            measures: [MeasureDefinition(name: "row_count", formula: "COUNT(*)", format: .count, additivity: .additive,
                                         description: "rows of the facts")],
            origin: "facts.csv (inferred)")
        try expectRoundTrip(definition)
    }
}

@Suite struct RuleDefinitionTests {
    private let withRules = minimal + """

    rules:
      quiet_renewal:
        when: churned = 0 AND mrr_start > 1.5 * avg_previous(mrr_start, 3)
        says: "MRR up by half: check the renewal"
      red_region:
        when: region IN ('emea', 'apac')
    """

    @Test func rulesAreReadInOrderWithTheirLines() throws {
        let definition = try CubeDefinition.parse(yaml: withRules, file: "cube.yaml")
        #expect(definition.rules.map(\.name) == ["quiet_renewal", "red_region"])
        #expect(definition.rules[0].condition == "churned = 0 AND mrr_start > 1.5 * avg_previous(mrr_start, 3)")
        #expect(definition.rules[0].says == "MRR up by half: check the renewal")
        #expect(definition.rules[0].line == 20)
        #expect(definition.rules[1].says == "")
        #expect(definition.rule(named: "RED_REGION")?.line == 23)
    }

    @Test func rulesRoundTripThroughTheRenderedYAML() throws {
        let definition = try CubeDefinition.parse(yaml: withRules, file: "cube.yaml")
        let reread = try CubeDefinition.parse(yaml: definition.yamlText, file: "rendered.yaml")
        #expect(reread.rules.map { [$0.name, $0.condition, $0.says] } == definition.rules.map { [$0.name, $0.condition, $0.says] })
    }

    @Test func aConditionThatDoesNotParseNamesTheFileAndLine() {
        expectError(withRules.replacingOccurrences(of: "region IN ('emea', 'apac')", with: "region IN ('emea'"),
                    "cube.yaml:23: rule 'red_region' does not parse: expected ',' or ')' in the IN list, found end of input at column 18 of 'region IN ('emea''")
    }

    @Test func unknownColumnsAndMisusedHistoryAreRefusedWithTheirLine() {
        expectError(withRules.replacingOccurrences(of: "region IN", with: "regoin IN"),
                    "cube.yaml:23: rule 'red_region' names 'regoin', which is not a column of the cube; did you mean 'region'?")
        expectError(withRules.replacingOccurrences(of: "avg_previous(mrr_start, 3)", with: "avg_previous(region, 3)"),
                    "cube.yaml:20: rule 'quiet_renewal' calls avg_previous on 'region', which is a dimension; it reads a fact column of the account's earlier rows")
        expectError(withRules.replacingOccurrences(of: "avg_previous(mrr_start, 3)", with: "previous(mrr_start)"),
                    "cube.yaml:20: rule 'quiet_renewal' calls previous with other arguments than a fact column and a number of months, e.g. previous(logins, 3)")
        expectError(withRules.replacingOccurrences(of: "region IN ('emea', 'apac')", with: "SUM(churned) > 1"),
                    "cube.yaml:23: rule 'red_region' uses the aggregate SUM: a rule is a condition on one account-month")
    }

    @Test func malformedRulesSection() {
        expectError(withRules.replacingOccurrences(of: "    when: region IN ('emea', 'apac')", with: "    says: no condition"),
                    "cube.yaml:23:5: rule 'red_region' needs 'when: <condition>'")
        expectError(withRules.replacingOccurrences(of: "    says: \"MRR", with: "    tells: \"MRR"),
                    "cube.yaml:21:5: unknown rule setting 'tells'; expected when or says")
        expectError(withRules.replacingOccurrences(of: "  red_region:", with: "  Quiet_Renewal:"),
                    "cube.yaml:22:3: rule 'Quiet_Renewal' is declared twice (first on line 20)")
    }
}
