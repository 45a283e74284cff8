/// Which workflow a request runs: a saved one or an inline definition.
public enum WorkflowTarget: Sendable {
    /// A saved workflow: `POST /{workspace}/workflows/{id}`.
    case saved(workspace: String, id: String)
    /// An inline definition: `POST /workflows/run`.
    case inline(WorkflowSpecification)

    /// The request path, percent-encoding workspace and id.
    var path: String {
        switch self {
        case .saved(let workspace, let id):
            return "/\(PathComponent.encode(workspace))/workflows/\(PathComponent.encode(id))"
        case .inline:
            return "/workflows/run"
        }
    }

    /// The request path on the legacy routes the server and the hosted API still serve:
    /// `POST /infer/workflows/{workspace}/{id}` and `POST /infer/workflows`.
    var legacyPath: String {
        switch self {
        case .saved(let workspace, let id):
            return "/infer/workflows/\(PathComponent.encode(workspace))/\(PathComponent.encode(id))"
        case .inline:
            return "/infer/workflows"
        }
    }

    /// ``legacyPath`` when `legacy`, else ``path``.
    func path(legacy: Bool) -> String { legacy ? legacyPath : path }

    /// Whether the server answers one output per batch element (else one per request): decided from an inline
    /// definition (``WorkflowSpecification/hasPerElementOutputs``); assumed for a saved workflow, whose definition
    /// the client does not have.
    var hasPerElementOutputs: Bool {
        guard case .inline(let specification) = self else { return true }
        return specification.hasPerElementOutputs
    }

    /// Checks a saved workflow's names before sending; throws `.invalidInput` for empty names.
    public func validate() throws(InferenceError) {
        guard case .saved(let workspace, let id) = self else { return }
        if workspace.isEmpty { throw InferenceError(.invalidInput, "the workspace name is empty", input: "workspace") }
        if id.isEmpty { throw InferenceError(.invalidInput, "the workflow id is empty", input: "workflow") }
    }
}

/// Percent-encoding for one URL path segment (RFC 3986 unreserved characters kept).
enum PathComponent {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

extension WorkflowTarget {
    /// What a span names the workflow by: `workspace/id`, or `inline`.
    var traceName: String {
        switch self {
        case .saved(let workspace, let id): return "\(workspace)/\(id)"
        case .inline: return "inline"
        }
    }
}

extension ImageInput {
    /// Elements at the top level: 1 for one image, the count of a batch.
    var elementCount: Int {
        switch self {
        case .image: return 1
        case .batch(let items): return items.count
        }
    }
}
