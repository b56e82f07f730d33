// The dimension values of the `subscriptions` cube. Each enum's `label` is the text written to the
// CSV; hierarchies (channel > campaign, region > country) are encoded by the child's parent property.

/// Acquisition channel.
enum Channel: Int, CaseIterable, Sendable {
    case outsideSales, insideSales, reseller, online, partner

    var label: StaticString {
        switch self {
        case .outsideSales: "outside_sales"
        case .insideSales: "inside_sales"
        case .reseller: "reseller"
        case .online: "online"
        case .partner: "partner"
        }
    }
}

/// Marketing campaign; every campaign belongs to exactly one channel and its label is unique.
enum Campaign: Int, CaseIterable, Sendable {
    case fieldEvent, abm
    case inbound, outbound
    case valueAddedReseller, distributor, marketplace
    case email, search, display, organic
    case referral, alliance

    var channel: Channel {
        switch self {
        case .fieldEvent, .abm: .outsideSales
        case .inbound, .outbound: .insideSales
        case .valueAddedReseller, .distributor, .marketplace: .reseller
        case .email, .search, .display, .organic: .online
        case .referral, .alliance: .partner
        }
    }

    var label: StaticString {
        switch self {
        case .fieldEvent: "field_event"
        case .abm: "abm"
        case .inbound: "inbound"
        case .outbound: "outbound"
        case .valueAddedReseller: "var"
        case .distributor: "distributor"
        case .marketplace: "marketplace"
        case .email: "email"
        case .search: "search"
        case .display: "display"
        case .organic: "organic"
        case .referral: "referral"
        case .alliance: "alliance"
        }
    }
}

/// Company size.
enum Segment: Int, CaseIterable, Sendable {
    case smb, midMarket, enterprise

    var label: StaticString {
        switch self {
        case .smb: "smb"
        case .midMarket: "mid_market"
        case .enterprise: "enterprise"
        }
    }
}

/// The customer's industry.
enum Industry: Int, CaseIterable, Sendable {
    case software, finance, healthcare, retail, manufacturing, education, media, publicSector

    var label: StaticString {
        switch self {
        case .software: "software"
        case .finance: "finance"
        case .healthcare: "healthcare"
        case .retail: "retail"
        case .manufacturing: "manufacturing"
        case .education: "education"
        case .media: "media"
        case .publicSector: "public_sector"
        }
    }
}

/// Sales region.
enum Region: Int, CaseIterable, Sendable {
    case amer, emea, apac, latam

    var label: StaticString {
        switch self {
        case .amer: "amer"
        case .emea: "emea"
        case .apac: "apac"
        case .latam: "latam"
        }
    }
}

/// Country by ISO 3166-1 alpha-2 code; every country belongs to exactly one region.
enum Country: Int, CaseIterable, Sendable {
    case us, ca
    case gb, de, fr, nl, se
    case jp, au, india, sg
    case br, mx, ar, cl

    var region: Region {
        switch self {
        case .us, .ca: .amer
        case .gb, .de, .fr, .nl, .se: .emea
        case .jp, .au, .india, .sg: .apac
        case .br, .mx, .ar, .cl: .latam
        }
    }

    var label: StaticString {
        switch self {
        case .us: "US"
        case .ca: "CA"
        case .gb: "GB"
        case .de: "DE"
        case .fr: "FR"
        case .nl: "NL"
        case .se: "SE"
        case .jp: "JP"
        case .au: "AU"
        case .india: "IN"
        case .sg: "SG"
        case .br: "BR"
        case .mx: "MX"
        case .ar: "AR"
        case .cl: "CL"
        }
    }
}

/// Price plan.
enum Plan: Int, CaseIterable, Sendable {
    case starter, pro, business, enterprise

    var label: StaticString {
        switch self {
        case .starter: "starter"
        case .pro: "pro"
        case .business: "business"
        case .enterprise: "enterprise"
        }
    }
}

/// Revenue tier from the account's MRR rank: tier1 is the few accounts holding ~40% of revenue.
enum Tier: Int, CaseIterable, Sendable {
    case tier1, tier2, tier3

    var label: StaticString {
        switch self {
        case .tier1: "tier1"
        case .tier2: "tier2"
        case .tier3: "tier3"
        }
    }
}

/// How the account's users use the product.
enum UsagePattern: Int, CaseIterable, Sendable {
    case powerConcentrated, widespread, steady, light, dormant

    var label: StaticString {
        switch self {
        case .powerConcentrated: "power_concentrated"
        case .widespread: "widespread"
        case .steady: "steady"
        case .light: "light"
        case .dormant: "dormant"
        }
    }
}

/// Stoplight health score; may change from month to month.
enum Health: Int, CaseIterable, Sendable {
    case green, yellow, red

    var label: StaticString {
        switch self {
        case .green: "green"
        case .yellow: "yellow"
        case .red: "red"
        }
    }
}
