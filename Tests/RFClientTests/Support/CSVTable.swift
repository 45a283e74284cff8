/// An RFC 4180 CSV file read back for assertions: a header row and rows keyed by column name.
struct CSVTable {
    var columns: [String]
    var rows: [[String: String]]

    /// Parses `text` (quoted cells, doubled quotes, line breaks inside quotes).
    init(_ text: String) {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? chars.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    let next = chars.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    cell.append(ch)
                }
                continue
            }
            switch ch {
            case "\"": quoted = true
            case ",":
                record.append(cell)
                cell = ""
            case "\n", "\r\n":
                record.append(cell)
                records.append(record)
                record = []
                cell = ""
            default: cell.append(ch)
            }
        }
        if !cell.isEmpty || !record.isEmpty {
            record.append(cell)
            records.append(record)
        }
        columns = records.first ?? []
        let header = columns
        rows = records.dropFirst().map { values in
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < values.count { row[name] = values[index] }
            return row
        }
        widths = records.map(\.count)
    }

    /// Cells per record (header included), to check every row is as wide as the header.
    var widths: [Int]
}
