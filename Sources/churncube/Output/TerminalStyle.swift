/// ANSI styling, or none: colour only on a terminal that supports it and when NO_COLOR is unset.
struct TerminalStyle: Sendable {
    var colour: Bool

    static let plain = TerminalStyle(colour: false)

    /// Colour for a descriptor that is a terminal, honouring NO_COLOR and TERM=dumb.
    static func detect(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb" || environment["TERM"] == nil
        return TerminalStyle(colour: isTerminal && !noColour && !dumb)
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    /// Black text on a 256-colour background.
    func background(_ text: String, colour index: Int) -> String { wrap(text, "30;48;5;\(index)") }

    private func wrap(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
