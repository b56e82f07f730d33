import Foundation
import Testing
@testable import ChurnGenerator

@Suite struct DeterministicMathTests {
    @Test(arguments: [1e-300, 1.1102230246251565e-16, 0.001, 0.5, 0.7071, 1, 1.5, 2, 10, 12_345.678])
    func logMatchesTheSystemLog(x: Double) {
        let expected = Foundation.log(x)
        #expect(abs(DeterministicMath.log(x) - expected) <= 1e-14 * max(1, abs(expected)))
    }

    @Test(arguments: [-690.0, -20, -1, -0.3, 0, 0.3, 1, 5.5, 20, 690])
    func expMatchesTheSystemExp(y: Double) {
        let expected = Foundation.exp(y)
        #expect(abs(DeterministicMath.exp(y) - expected) <= 1e-14 * expected)
    }
}
