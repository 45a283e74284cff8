import Foundation
import NIOConcurrencyHelpers
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP listener on 127.0.0.1 for the faults an HTTP server cannot produce: it reads the first
/// `readBeforeReset` bytes of each request, then resets the connection (RST) while the client is still sending.
final class ResettingServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = NIOLockedValueBox(0)
    private let thread: Thread

    /// Connections accepted (and reset) so far.
    var connectionCount: Int { accepted.withLockedValue { $0 } }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(readBeforeReset: Int = 2048) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        // A tiny receive window (inherited by accepted sockets): the client cannot park a large body in kernel
        // buffers, so it is still sending when the reset comes.
        var window: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let counter = accepted
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return  // listener shut down
                }
                counter.withLockedValue { $0 += 1 }
                var buffer = [UInt8](repeating: 0, count: 4096)
                var received = 0
                while received < readBeforeReset {
                    let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, min($0.count, readBeforeReset - received)) }
                    if n <= 0 { break }
                    received += n
                }
                var hard = linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A loopback port with nothing listening (TestSupport's ``unusedLoopbackPort()``; port 1, where nothing
    /// listens either, should the probe itself fail): connections to it are refused.
    static func closedPort() -> Int { (try? unusedLoopbackPort()) ?? 1 }
}
