import ChurnSyntax

/// libFuzzer entry: any bytes as a script. The splitter must cut it, each statement must parse
/// or fail with an error, and a statement that parses must render to text that parses back to
/// the same statement; completion must find a context at the end of any text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatementParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for unit in ScriptSplitter.split(text).allUnits where unit.kind == .statement {
        guard let statement = try? Parser.parseStatement(unit.text) else { continue }
        let rendered = statement.description
        guard let reparsed = try? Parser.parseStatement(rendered) else {
            fatalError("rendered statement does not parse:\n\(unit.text)\nrendered:\n\(rendered)")
        }
        guard reparsed == statement else {
            fatalError("rendered statement parses to another:\n\(unit.text)\nrendered:\n\(rendered)\nreparsed:\n\(reparsed)")
        }
    }
    _ = try? Parser.parseExpression(text)
    _ = CompletionAnalyzer.context(before: text)
    return 0
}
