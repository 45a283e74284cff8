import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `aggregated_results.csv` with file names and server strings that would run as formulas, read back by Python's
/// `csv` module: such cells start with `'`, numbers are untouched, every other cell is as written (issue 20).
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct CSVInjectionCLITests {
    static let names = ["=SUM(1,2).png", "@cmd.png", "+x.png", "-y.png", "plain.png"]

    @Test func formulaCellsAreNeutralisedAndNumbersAreNot() async throws {
        let tmp = try TemporaryDirectory()
        for name in Self.names { try tmp.write("in/" + name, Fixture.bytes("swatch.png")) }
        let run = try await CLI.run([
            "process", tmp.file("in"), "-o", tmp.file("out"), "--spec", Fixture.path("scalars-and-parameters.json"),
            "--param", "label==HYPERLINK(\"http://evil\")", "--param", "min_width=-5", "--aggregate", "csv",
        ])
        #expect(run.status == 0, "\(run)")
        let script = """
        import csv, json, sys
        print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))
        """
        let python = try ChildProcess.spawn("/usr/bin/env", ["python3", "-c", script, tmp.file("out/aggregated_results.csv")], environment: ProcessInfo.processInfo.environment)
        let read = await python.wait()
        #expect(read.status == 0, "\(String(decoding: read.stderr, as: UTF8.self))")
        let rows = try #require(try JSONValue(parsing: read.stdout).arrayValue)
        #expect(rows.count == Self.names.count)
        let images = Set(rows.compactMap { $0["image"]?.stringValue })
        #expect(images == ["'=SUM(1,2).png", "'@cmd.png", "'+x.png", "'-y.png", "plain.png"], "\(images)")
        for row in rows {
            #expect(row["caption"]?.stringValue?.hasPrefix("'=HYPERLINK(\"HTTP://EVIL\") is ") == true, "\(row)")
            #expect(row["echo_min_width"]?.stringValue == "-5", "\(row)")
            #expect(row["width"]?.stringValue == "200", "\(row)")
        }
    }
}
