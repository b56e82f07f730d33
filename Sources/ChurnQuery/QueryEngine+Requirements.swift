import ChurnSyntax

extension QueryEngine {
    /// A statement's `FROM cube` must name the open cube.
    package func checkCube(_ name: Identifier?) throws {
        guard let name, name.normalized != cube.name.lowercased() else { return }
        throw QueryError("unknown cube '\(name.name)'", at: name.range, hint: "the open cube is '\(cube.name)'")
    }

    /// A statement that reads a fact column by its name (`churned`, `mrr_start`) needs the cube to have it.
    package func requireFact(_ name: String, for user: String, at range: SourceRange) throws {
        guard case .fact? = catalog.resolve(name) else {
            throw QueryError("\(user) needs the fact column '\(name)', which cube '\(cube.name)' does not have", at: range)
        }
    }
}
