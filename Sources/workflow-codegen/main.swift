import Foundation
import WorkflowCodegen

// The build plugin's tool: one Swift file from a saved interface and the definition (or a saved workflow's reference).
//   workflow-codegen --interface X.interface.json (--spec X.json | --saved X.saved-workflow.json) --name Type -o Type.swift
// No server, no networking stack: the same bytes as `rfclient codegen --interface`.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("workflow-codegen: \(message)\n".utf8))
    exit(2)
}

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard ["--interface", "--spec", "--saved", "--name", "-o"].contains(flag), let value = arguments.popFirst() else {
        fail("usage: workflow-codegen --interface FILE (--spec FILE | --saved FILE) --name TypeName -o FILE.swift")
    }
    options[flag] = value
}
guard let interfacePath = options["--interface"], let name = options["--name"], let output = options["-o"] else {
    fail("--interface, --name and -o are required")
}

do {
    let interface = try WorkflowInterfaceFile(json: try CodegenJSON.parse(read(interfacePath), source: interfacePath), source: interfacePath)
    let source: WorkflowCodeGenerator.Source
    let description: String
    if let spec = options["--spec"] {
        let bytes = read(spec)
        source = .inline(text: String(decoding: bytes, as: UTF8.self), definition: try CodegenJSON.parse(bytes, source: spec))
        description = (spec as NSString).lastPathComponent
    } else if let saved = options["--saved"] {
        let reference = try CodegenJSON.parse(read(saved), source: saved)
        guard let workspace = reference["workspace"]?.stringValue, let id = reference["workflow"]?.stringValue else {
            fail("\(saved) must be {\"workspace\": \"…\", \"workflow\": \"…\"}")
        }
        source = .saved(workspace: workspace, id: id)
        description = "\(workspace)/\(id)"
    } else {
        fail("give the definition (--spec FILE) or a saved workflow's reference (--saved FILE)")
    }
    let code = try WorkflowCodeGenerator(typeName: name, interface: interface, source: source, sourceDescription: description).generate()
    // Unchanged bytes are not rewritten, so that the target is not recompiled.
    if FileManager.default.contents(atPath: output) != Data(code.utf8) {
        try Data(code.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    }
} catch let error as CodegenError {
    fail(error.message)
} catch {
    fail("cannot write \(output): \(error)")
}
