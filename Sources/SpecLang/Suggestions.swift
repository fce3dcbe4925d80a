/// "Did you mean" suggestions by edit distance, for spec errors and the command line alike.
public enum Suggestions {
    /// Up to three candidates within `limit` edits of `word` (default: a third of its length, at least 2), closest first.
    public static func closest(to word: String, among candidates: [String], limit: Int? = nil, caseSensitive: Bool = false) -> [String] {
        let fold: (String) -> [Character] = { caseSensitive ? Array($0) : Array($0.lowercased()) }
        let w = fold(word)
        let limit = limit ?? max(2, w.count / 3)
        var scored: [(name: String, score: Int)] = []
        for c in candidates {
            let f = fold(c)
            // A candidate the word begins (`algebraic` for `algebraic-simplification`) is as good as one edit away.
            let d = w.count >= 3 && f.starts(with: w) ? 1 : distance(w, f)
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
