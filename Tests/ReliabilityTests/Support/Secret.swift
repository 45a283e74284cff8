import Foundation
import Testing

/// The recognisable API key every reliability test uses, and the checks that it never leaks.
enum Secret {
    /// Set through `ROBOFLOW_API_KEY`, `--api-key` or the configuration; must never be printed.
    static let key = "rf_SECRET_DO_NOT_LEAK_42"

    /// An image URL whose query carries the key (it must be printed masked).
    static func urlWithKey(_ base: String, path: String = "/image.png") -> String {
        "\(base)\(path)?api_key=\(key)&size=1"
    }

    /// Expects `text` not to contain the key.
    static func expectAbsent(
        in text: String, _ what: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!text.contains(key), "the API key leaked into \(what()): \(text.prefix(600))", sourceLocation: sourceLocation)
    }

    /// Expects no file under `directory` to contain the key (results, aggregates, progress and failure logs).
    /// A missing or empty folder fails: nothing would have been checked.
    static func expectAbsent(inFilesUnder directory: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let needle = Data(key.utf8)
        var checked = 0
        let walker = FileManager.default.enumerator(atPath: directory)
        while let relative = walker?.nextObject() as? String {
            let path = directory + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            checked += 1
            #expect(data.range(of: needle) == nil, "the API key leaked into \(path)", sourceLocation: sourceLocation)
        }
        #expect(checked > 0, "no file under \(directory) to check for the API key", sourceLocation: sourceLocation)
    }
}
