import Foundation
import NIOSSL

/// A TLS handshake that failed, read from NIOSSL's errors: which host, and why in words (the OpenSSL reason code
/// kept in brackets for searching).
struct TLSFailure {
    let error: InferenceError

    /// `nil` when `error` is not a TLS handshake failure.
    init?(_ error: any Error, url: String) {
        let where_ = Self.hostAndPort(url)
        let reason: String
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch {
            reason = "its certificate is not valid for the host name \(URL(string: url)?.host ?? url)"
        } else if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let boring):
                reason = Self.reason(String(describing: boring))
            case .unableToValidateCertificate, .noCertificateToValidate:
                reason = "its certificate could not be validated (\(error))"
            default:
                return nil
            }
        } else if let error = error as? BoringSSLError {
            reason = Self.reason(String(describing: error))
        } else {
            return nil
        }
        self.error = InferenceError(
            .tlsFailure, "\(where_): \(reason)", underlying: SendableDescription(String(describing: error)))
    }

    /// Words for the OpenSSL reason codes users meet, the code kept.
    static func reason(_ text: String) -> String {
        let known: [(code: String, words: String)] = [
            ("CERTIFICATE_VERIFY_FAILED",
             "its certificate was not verified: not signed by a trusted CA (add yours with --cacert / TLSSettings.trustRoots), expired or not yet valid"),
            ("CERTIFICATE_REQUIRED", "the server requires a client certificate (--cert/--key, TLSSettings.clientCertificate)"),
            ("UNKNOWN_CA", "the server does not trust the client certificate's CA"),
            ("BAD_CERTIFICATE", "the server rejected the client certificate"),
            ("CERTIFICATE_EXPIRED", "a certificate has expired"),
            ("WRONG_VERSION_NUMBER", "the server did not answer in TLS (is it plain HTTP? use an http:// URL)"),
            ("HANDSHAKE_FAILURE", "the server ended the handshake (no common protocol version or cipher, or it wants a client certificate)"),
        ]
        for entry in known where text.contains(entry.code) { return "\(entry.words) [\(entry.code)]" }
        return "the handshake failed (\(text))"
    }

    static func hostAndPort(_ url: String) -> String {
        guard let parsed = URL(string: url), let host = parsed.host else { return url }
        let port = parsed.port ?? (parsed.scheme?.lowercased() == "http" ? 80 : 443)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
