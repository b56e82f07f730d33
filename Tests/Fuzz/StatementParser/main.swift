import CFuzzer
import Foundation

// SwiftPM links an executable's own entry point, so this one starts libFuzzer's driver.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzStatementParser(data, size) })
