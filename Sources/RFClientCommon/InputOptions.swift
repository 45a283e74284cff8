import ArgumentParser
import Foundation
import InferenceSDK

/// Image inputs from the command line (`--image`); parameters are ``ParameterOptions``.
package struct InputOptions: ParsableArguments {
    /// Creates the options with their defaults (ArgumentParser fills them in).
    package init() {}

    @Option(name: .customLong("image"), help: ArgumentHelp(
        "Image input NAME=PATH|URL|- (repeat; repeating a NAME makes a batch; - reads image bytes from stdin).",
        valueName: "name=source"))
    package var images: [String] = []

    /// Image inputs by name; a repeated name makes a batch, in command-line order.
    package func imageInputs(stdin: () -> [UInt8] = Terminal.readStandardInput) throws -> [String: ImageInput] {
        var grouped: [String: [WorkflowImage]] = [:]
        var order: [String] = []
        var usedStdin = false
        for item in images {
            let (name, source) = try Self.split(item, option: "--image", example: "image=photo.jpg")
            guard !source.isEmpty else { throw ValidationError("--image \(name)= needs a path, URL or -") }
            let image: WorkflowImage
            if source == "-" {
                guard !usedStdin else { throw ValidationError("only one --image can read stdin (-)") }
                usedStdin = true
                image = .bytes(stdin())
            } else if source.lowercased().hasPrefix("http://") || source.lowercased().hasPrefix("https://") {
                image = .url(source)
            } else {
                image = .file(source)
            }
            if grouped[name] == nil { order.append(name) }
            grouped[name, default: []].append(image)
        }
        var inputs: [String: ImageInput] = [:]
        for name in order {
            guard let list = grouped[name] else { continue }
            inputs[name] = list.count == 1 ? .image(list[0]) : .batch(list.map { .image($0) })
        }
        return inputs
    }

    /// `NAME=VALUE` items (VALUE as JSON when valid), a later item winning over an earlier one of the same name.
    package static func keyValues(_ items: [String], option: String, example: String) throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for item in items {
            let (name, text) = try split(item, option: option, example: example)
            values[name] = parseValue(text)
        }
        return values
    }

    /// JSON when `text` is valid JSON, else the text as a string.
    package static func parseValue(_ text: String) -> JSONValue {
        (try? JSONValue(parsing: text)) ?? .string(text)
    }

    package static func split(_ item: String, option: String, example: String) throws -> (String, String) {
        guard let equals = item.firstIndex(of: "=") else {
            throw ValidationError("\(option) expects NAME=VALUE (e.g. \(option) \(example)), got '\(item)'")
        }
        let name = String(item[..<equals]).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ValidationError("\(option) '\(item)' has an empty NAME") }
        return (name, String(item[item.index(after: equals)...]))
    }
}
