import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport

/// Small inline workflow definitions the tests write to files and pass with `--spec`.
enum Specs {
    /// Echoes parameters `a`, `b`, `c` (default `"unset"`) and the width of `image` (one output per batch element).
    static let echo: JSONValue = [
        "version": "1.0",
        "inputs": [
            ["type": "WorkflowImage", "name": "image"],
            ["type": "WorkflowParameter", "name": "a", "default_value": "unset"],
            ["type": "WorkflowParameter", "name": "b", "default_value": "unset"],
            ["type": "WorkflowParameter", "name": "c", "default_value": "unset"],
        ],
        "steps": [
            [
                "type": "roboflow_core/property_definition@v1", "name": "width", "data": "$inputs.image",
                "operations": [["type": "ExtractImageProperty", "property_name": "width"]],
            ],
        ],
        "outputs": [
            ["type": "JsonField", "name": "a", "selector": "$inputs.a"],
            ["type": "JsonField", "name": "b", "selector": "$inputs.b"],
            ["type": "JsonField", "name": "c", "selector": "$inputs.c"],
            ["type": "JsonField", "name": "width", "selector": "$steps.width.output"],
        ],
    ]

    /// An output literally called `image` (the input echoed back) beside a scalar `width`: the aggregate
    /// files' image-name column must not collide with it.
    static let outputNamedImage: JSONValue = [
        "version": "1.0",
        "inputs": [["type": "WorkflowImage", "name": "image"]],
        "steps": [
            [
                "type": "roboflow_core/property_definition@v1", "name": "width", "data": "$inputs.image",
                "operations": [["type": "ExtractImageProperty", "property_name": "width"]],
            ],
        ],
        "outputs": [
            ["type": "JsonField", "name": "image", "selector": "$inputs.image"],
            ["type": "JsonField", "name": "width", "selector": "$steps.width.output"],
        ],
    ]

    /// A definition the server refuses (unknown block type).
    static let invalid: JSONValue = [
        "version": "1.0",
        "inputs": [["type": "WorkflowImage", "name": "image"]],
        "steps": [["type": "roboflow_core/no_such_block@v1", "name": "x", "image": "$inputs.image"]],
        "outputs": [["type": "JsonField", "name": "y", "selector": "$steps.x.output"]],
    ]

    /// The template as a `--params` file value: a workflow image object, so `process` (one image input per
    /// file) can run the two-image template-matching workflow.
    static func templateParameter() throws -> JSONValue {
        ["template": ["type": "base64", "value": .string(Base64.encode(try Fixture.bytes("template.png")))]]
    }
}

/// Reading saved image files back.
enum SavedFile {
    /// Format and size read from the file's own header.
    static func info(_ path: String) throws -> ImageInfo? {
        ImageInfo.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Checks a placeholder `{"type":"image","path","format","width","height"}` against the file it names
    /// (`base` is put before relative paths). Returns a list of problems (empty when it matches).
    static func problems(placeholder: JSONValue?, base: String = "") -> [String] {
        guard let placeholder, placeholder["type"]?.stringValue == "image",
              let path = placeholder["path"]?.stringValue else { return ["not a placeholder: \(String(describing: placeholder))"] }
        let full = base.isEmpty ? path : base + "/" + path
        guard let info = try? info(full) else { return ["\(full) missing or not an image"] }
        var problems: [String] = []
        if placeholder["format"]?.stringValue != info.format.rawValue { problems.append("\(full): format \(info.format)") }
        if placeholder["width"]?.intValue != info.width { problems.append("\(full): width \(info.width)") }
        if placeholder["height"]?.intValue != info.height { problems.append("\(full): height \(info.height)") }
        if !full.hasSuffix("." + info.format.fileExtension) { problems.append("\(full): extension vs \(info.format)") }
        return problems
    }
}
