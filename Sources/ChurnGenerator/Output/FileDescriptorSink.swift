/// Writes to an already open descriptor, such as standard output.
package struct FileDescriptorSink: ByteSink {
    package let descriptor: FileDescriptor
    /// Named in error messages.
    package let displayName: String

    package init(_ descriptor: FileDescriptor, displayName: String) {
        self.descriptor = descriptor
        self.displayName = displayName
    }

    package static var standardOutput: FileDescriptorSink {
        FileDescriptorSink(.standardOutput, displayName: "standard output")
    }

    package mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try descriptor.writeAll(bytes)
        } catch {
            throw OutputError.writeFailed(path: displayName, reason: error.description)
        }
    }
}
