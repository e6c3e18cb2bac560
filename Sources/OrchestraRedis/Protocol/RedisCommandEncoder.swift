internal import CHiredis
public import NIOCore

/// Formats commands in the RESP multi-bulk protocol with hiredis' `redisFormatCommandArgv`.
public enum RedisCommandEncoder {
    /// Appends the encoding of one command (`arguments[0]` is its name) to `buffer`.
    ///
    /// The arguments are packed into one contiguous scratch block so hiredis can read them
    /// through a single `argv` array, whatever their storage.
    public static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) throws(RedisError) {
        precondition(!arguments.isEmpty, "a Redis command needs a name")
        let count = arguments.count
        var total = 0
        for argument in arguments { total += argument.byteCount }

        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { scratch.deallocate() }
        let formatted: (pointer: UnsafeMutablePointer<CChar>?, length: Int64) = withUnsafeTemporaryAllocation(
            of: UnsafePointer<CChar>?.self,
            capacity: count
        ) { argv in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { lengths in
                var offset = 0
                for (index, argument) in arguments.enumerated() {
                    let length = argument.byteCount
                    let start = scratch + offset
                    argument.copyBytes(to: start)
                    argv[index] = UnsafePointer(start.assumingMemoryBound(to: CChar.self))
                    lengths[index] = length
                    offset += length
                }
                var target: UnsafeMutablePointer<CChar>? = nil
                let length = chiredis_format_argv(&target, Int32(count), argv.baseAddress, lengths.baseAddress)
                return (target, length)
            }
        }
        guard let pointer = formatted.pointer, formatted.length >= 0 else {
            throw RedisError(.protocolError, "hiredis could not format the command")
        }
        defer { chiredis_command_free(pointer) }
        buffer.writeBytes(UnsafeRawBufferPointer(start: pointer, count: Int(formatted.length)))
    }

    /// The encoding of one command in a new buffer.
    public static func encode(_ arguments: [RedisArgument]) throws(RedisError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try encode(arguments, into: &buffer)
        return buffer
    }
}
