/// "Did you mean" suggestions by edit distance.
enum Suggestions {
    /// Up to three candidates within a small edit distance of `word` (case-insensitive), closest first.
    static func closest(to word: String, among candidates: [String]) -> [String] {
        let w = Array(word.lowercased())
        let limit = max(2, w.count / 3)
        var scored: [(name: String, score: Int)] = []
        for c in candidates {
            let d = distance(w, Array(c.lowercased()))
            if d <= limit { scored.append((c, d)) }
        }
        scored.sort { a, b in a.score != b.score ? a.score < b.score : a.name < b.name }
        return scored.prefix(3).map(\.name)
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
