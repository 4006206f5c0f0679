/// A line diff of two texts in unified format, as `diff -u` writes it: Myers's O(ND) algorithm ("An O(ND)
/// Difference Algorithm and Its Variations", 1986) on the lines left after the common prefix and suffix.
///
/// Bounded for huge definitions: past `maximumEdits` differences (memory grows with their square) the middle is
/// shown as all of the old lines removed and all of the new ones added, which is still a correct diff.
package enum LineDiff {
    package enum Operation: Equatable, Sendable {
        case equal, delete, insert
    }

    /// Differences beyond which the middle is replaced whole.
    package static let maximumEdits = 2_000

    /// The edit script turning `old` into `new`, in order: each line of `old` is kept or deleted, each of `new`
    /// kept or inserted.
    package static func edits<Line: Hashable>(_ old: [Line], _ new: [Line], maximumEdits: Int = maximumEdits)
        -> [Operation]
    {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
            && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        // Lines as small integers: equal lines, equal numbers.
        var numbers: [Line: Int] = [:]
        func number(_ line: Line) -> Int {
            if let known = numbers[line] { return known }
            numbers[line] = numbers.count
            return numbers.count - 1
        }
        let a = old[prefix..<(old.count - suffix)].map(number)
        let b = new[prefix..<(new.count - suffix)].map(number)
        var result = [Operation](repeating: .equal, count: prefix)
        result += middle(a, b, maximumEdits: maximumEdits)
        result += [Operation](repeating: .equal, count: suffix)
        return result
    }

    private static func middle(_ a: [Int], _ b: [Int], maximumEdits: Int) -> [Operation] {
        let n = a.count, m = b.count
        if n == 0 { return [Operation](repeating: .insert, count: m) }
        if m == 0 { return [Operation](repeating: .delete, count: n) }
        let limit = min(n + m, maximumEdits)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d]: v over diagonals -d...d as round d found it.
        var trace: [[Int]] = []
        var finalRound: Int?
        rounds: for d in 0...limit {
            trace.append(Array(v[(offset - d)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    finalRound = d
                    break rounds
                }
            }
        }
        guard let finalRound else {
            return [Operation](repeating: .delete, count: n) + [Operation](repeating: .insert, count: m)
        }
        var reversed: [Operation] = []
        reversed.reserveCapacity(n + m)
        var x = n, y = m
        var d = finalRound
        while d > 0 {
            let previous = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && previous[k - 1 + d] < previous[k + 1 + d])) ? k + 1 : k - 1
            let previousX = previous[previousK + d]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                reversed.append(.equal)
                x -= 1
                y -= 1
            }
            if x == previousX {
                reversed.append(.insert)
                y -= 1
            } else {
                reversed.append(.delete)
                x -= 1
            }
            d -= 1
        }
        while x > 0 && y > 0 {
            reversed.append(.equal)
            x -= 1
            y -= 1
        }
        return reversed.reversed()
    }

    /// The lines of `text`: each without its newline; a last line without one counts too.
    package static func lines(_ text: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in text.enumerated() where byte == 0x0A {
            result.append(text[start..<index])
            start = index + 1
        }
        if start < text.count { result.append(text[start...]) }
        return result
    }

    /// The hunks of a unified diff of `old` and `new` (no `---`/`+++` lines), with `context` lines around each
    /// change; empty when the texts are equal.
    package static func unified(_ old: [UInt8], _ new: [UInt8], context: Int = 3) -> [UInt8] {
        let oldLines = lines(old), newLines = lines(new)
        let script = edits(oldLines, newLines)
        // Positions in old and new before each operation.
        var positions: [(old: Int, new: Int)] = []
        positions.reserveCapacity(script.count + 1)
        var o = 0, n = 0
        for operation in script {
            positions.append((o, n))
            switch operation {
            case .equal: o += 1; n += 1
            case .delete: o += 1
            case .insert: n += 1
            }
        }
        positions.append((o, n))
        var output: [UInt8] = []
        var index = 0
        while index < script.count {
            guard script[index] != .equal else {
                index += 1
                continue
            }
            // A hunk: from `context` lines before this change to `context` after the last change that is no more
            // than 2 * context equal lines from the next.
            let start = max(0, index - context)
            var end = index
            var scan = index
            while scan < script.count {
                if script[scan] != .equal {
                    end = scan + 1
                    scan += 1
                } else if scan - end < 2 * context {
                    scan += 1
                } else {
                    break
                }
            }
            let stop = min(script.count, end + context)
            let oldStart = positions[start].old, newStart = positions[start].new
            let oldCount = positions[stop].old - oldStart, newCount = positions[stop].new - newStart
            output += Array("@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n".utf8)
            for position in start..<stop {
                switch script[position] {
                case .equal:
                    output.append(0x20)
                    output += oldLines[positions[position].old]
                case .delete:
                    output.append(UInt8(ascii: "-"))
                    output += oldLines[positions[position].old]
                case .insert:
                    output.append(UInt8(ascii: "+"))
                    output += newLines[positions[position].new]
                }
                output.append(0x0A)
            }
            index = stop
        }
        return output
    }

    /// Lines added and removed between `old` and `new`.
    package static func counts(_ old: [UInt8], _ new: [UInt8]) -> (added: Int, removed: Int) {
        let script = edits(lines(old), lines(new))
        var added = 0, removed = 0
        for operation in script {
            if operation == .insert { added += 1 } else if operation == .delete { removed += 1 }
        }
        return (added, removed)
    }

    /// `start,count` as diff -u writes it: 1-based, the line before for an empty range, no `,1`.
    private static func range(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: return "\(start),0"
        case 1: return "\(start + 1)"
        default: return "\(start + 1),\(count)"
        }
    }
}
