extension Int64 {
    /// `self + other`, or `Int64.max` where that would overflow: sizes summed from a hostile archive.
    package func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? Int64.min : Int64.max) : sum
    }
}
