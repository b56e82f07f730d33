import ArgumentParser
import ChurnGenerator

extension RowOrder: ExpressibleByArgument {}
