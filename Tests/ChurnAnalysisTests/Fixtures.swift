import ChurnAnalysis

/// Small hand-made inputs with answers worked out by hand.
enum Fixtures {
    /// Moments of `rows` rows of a 0/1 measure with `events` ones.
    static func proportion(rows: Double, events: Double) -> Moments {
        Moments(rows: rows, x: events, y: rows, xx: events, yy: rows, xy: events)
    }

    static let churn = HotspotMeasure(name: "logo_churn_rate", kind: .proportion, impactUnit: "churned accounts")

    /// region {amer, emea} × channel {direct, reseller}, 1,000 rows per cell; churn 2% everywhere
    /// except amer resellers (6%). Global 120 / 4,000 = 3%.
    static var regionChannel: HotspotInput {
        let region = HotspotDimension(name: "region", labels: [nil, "amer", "emea"])
        let channel = HotspotDimension(name: "channel", labels: [nil, "direct", "reseller"])
        let cells = [
            HotspotCell(key: [1, 1], moments: proportion(rows: 1000, events: 20)),
            HotspotCell(key: [1, 2], moments: proportion(rows: 1000, events: 60)),
            HotspotCell(key: [2, 1], moments: proportion(rows: 1000, events: 20)),
            HotspotCell(key: [2, 2], moments: proportion(rows: 1000, events: 20)),
        ]
        return HotspotInput(dimensions: [region, channel], cells: cells, measure: churn)
    }

    /// region > country, and channel: US resellers 5%, US direct 4%, CA 1%.
    static var countryChannel: HotspotInput {
        let region = HotspotDimension(name: "region", labels: [nil, "amer"])
        let country = HotspotDimension(name: "country", labels: [nil, "US", "CA"], hierarchyParent: 0)
        let channel = HotspotDimension(name: "channel", labels: [nil, "direct", "reseller"])
        let cells = [
            HotspotCell(key: [1, 1, 2], moments: proportion(rows: 1000, events: 50)),
            HotspotCell(key: [1, 1, 1], moments: proportion(rows: 1000, events: 40)),
            HotspotCell(key: [1, 2, 2], moments: proportion(rows: 1000, events: 10)),
            HotspotCell(key: [1, 2, 1], moments: proportion(rows: 1000, events: 10)),
        ]
        return HotspotInput(dimensions: [region, country, channel], cells: cells, measure: churn)
    }

    /// Everything reported: every direction, q ≤ 1, no relatives folded.
    static func everything(_ baseline: HotspotBaseline, depth: Int = 3, minimumSupport: Double = 0) -> HotspotOptions {
        HotspotOptions(
            depth: depth, minimumSupport: minimumSupport, baseline: baseline, direction: .both, limit: 1000,
            falseDiscoveryRate: 1, foldsRelatives: false)
    }
}

extension HotspotResult {
    /// The finding whose conditions read `text`.
    func finding(_ text: String) -> HotspotFinding? {
        findings.first { $0.conditionText == text }
    }
}
