@testable import InferenceJobs
import Testing

/// Cells that would run as spreadsheet formulas are neutralised (OWASP CSV injection); numbers are not (issue 20).
@Suite struct CSVInjectionTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\r=1", "\"'\r=1\""),
        ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("-0.25", "-0.25"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    ])
    func formulaCellsGetAQuoteNumbersStay(cell: String, written: String) {
        #expect(CSVFormat.quote(cell) == written, "\(cell)")
    }
}
