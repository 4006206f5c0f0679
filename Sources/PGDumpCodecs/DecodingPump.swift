import PGDumpCore

/// Pushes one stored data stream through its decompressor into a sink, a piece at a time.
///
/// Formats hand it the stored bytes as they read them (chunk payloads, file contents); it never holds more than
/// one output buffer.
package final class DecodingPump {
    private let decompressor: Decompressor?
    private let output: UnsafeMutableRawBufferPointer
    private let ignoresTrailingBytes: Bool
    private var finished = false
    /// Decompressed bytes delivered so far.
    private(set) var producedCount: Int64 = 0

    /// - Parameter ignoresTrailingBytes: gzip files end at the last member, as `gzread` does; other streams
    ///   treat bytes after their end as corruption.
    package init(decompressor: Decompressor?, ignoresTrailingBytes: Bool = false, outputCapacity: Int = 256 << 10) {
        self.decompressor = decompressor
        self.ignoresTrailingBytes = ignoresTrailingBytes
        self.output = .allocate(byteCount: decompressor == nil ? 0 : outputCapacity, alignment: 16)
    }

    deinit { output.deallocate() }

    /// Whether the pump hands its input on as it is (stored, uncompressed data).
    package var passesThrough: Bool { decompressor == nil }

    /// Starts a new, independent stream (the next large object).
    package func reset() throws {
        try decompressor?.reset()
        finished = false
    }

    package func feed<Sink: DataSink>(_ input: UnsafeRawBufferPointer, into sink: inout Sink) throws {
        guard let decompressor else {
            if input.count > 0 {
                producedCount += Int64(input.count)
                try sink.write(input)
            }
            return
        }
        var offset = 0
        while offset < input.count {
            if finished {
                if ignoresTrailingBytes { return }
                throw codecError(decompressor.codecName, "unexpected data after the end of the compressed stream")
            }
            let step = try decompress(UnsafeRawBufferPointer(rebasing: input[offset...]), with: decompressor, into: &sink)
            offset += step.consumed
            if step.finished { finished = true }
            if step.consumed == 0 && step.produced == 0 && !step.finished {
                throw codecError(decompressor.codecName, "the decompressor made no progress")
            }
        }
    }

    /// Flushes the decompressor at the end of the stored bytes; throws if the stream was cut short.
    package func finish<Sink: DataSink>(into sink: inout Sink) throws {
        guard let decompressor, !finished else { return }
        while true {
            let step = try decompress(UnsafeRawBufferPointer(start: nil, count: 0), with: decompressor, into: &sink)
            if step.finished { break }
            if step.produced == 0 {
                throw codecError(decompressor.codecName, "compressed data is truncated")
            }
        }
        finished = true
    }

    /// One step into the sink's own memory when it offers some (no copy), else into `output` and then the sink.
    /// Every codec keeps its history (the window back-references reach into) inside its own state, so the
    /// output may be anywhere each time.
    private func decompress<Sink: DataSink>(
        _ input: UnsafeRawBufferPointer, with decompressor: Decompressor, into sink: inout Sink
    ) throws -> DecompressionStep {
        if let space = try sink.writableSpace(minimum: output.count) {
            let step = try decompressor.decompress(input, into: space)
            producedCount += Int64(step.produced)
            try sink.didWrite(count: step.produced)
            return step
        }
        let step = try decompressor.decompress(input, into: output)
        try deliver(step.produced, into: &sink)
        return step
    }

    private func deliver<Sink: DataSink>(_ count: Int, into sink: inout Sink) throws {
        guard count > 0 else { return }
        producedCount += Int64(count)
        try sink.write(UnsafeRawBufferPointer(rebasing: output[0..<count]))
    }
}
