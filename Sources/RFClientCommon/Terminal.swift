import Foundation

/// Writing to stdout/stderr without buffering surprises.
package enum Terminal {
    package static let stderrIsTTY = isatty(STDERR_FILENO) == 1

    /// One line on stderr, prefixed `rfclient: ` (line breaks inside `message` become spaces).
    package static func error(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        writeError("rfclient: \(line)\n")
    }

    package static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Bytes on stdout followed by a newline.
    package static func writeLine(_ bytes: [UInt8]) {
        var line = bytes
        line.append(0x0A)
        FileHandle.standardOutput.write(Data(line))
    }

    /// Reads all of stdin.
    package static func readStandardInput() -> [UInt8] {
        [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    }
}
