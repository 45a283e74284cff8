import ArgumentParser
import Foundation
import InferenceSDKVideo

/// `--cpu-priority`: how the client's process competes for CPU with the other processes of this machine.
///
/// A workflow server on the same machine is the run's bottleneck, and its request path is mostly one Python thread:
/// whenever decoding, JPEG encoding or the client's HTTP work takes that thread's core, the server slows down and so
/// does the run. Under Linux's `SCHED_IDLE` the client runs only on CPU that no ordinary thread wants, and a server
/// thread that wakes up takes a core from the client at once (BENCHMARKS.md V1: ~88 % of the server-alone rate
/// instead of ~69 % at 640×480, on two shared cores). A watchdog thread moves the process back to normal priority when
/// other work starves it.
enum CPUPriority: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `background` when the server is on this machine, the source is a file and the process may return to normal
    /// priority (the watchdog needs that); `normal` otherwise.
    case auto
    /// `SCHED_IDLE` for every thread of the process: only CPU nothing else wants.
    case background
    /// The scheduler's default: compete for CPU like any other process.
    case normal

    /// What `auto` becomes, and why. A live source stays `normal`: it must be read as it comes. A remote server does
    /// not share this machine's CPU. A process that could not leave `SCHED_IDLE` again (no privilege to raise its
    /// priority) would have no way out when other work starves it.
    func resolved(serverIsLocal: Bool, live: Bool, canReturn: () -> Bool) -> (priority: CPUPriority, why: String) {
        guard self == .auto else { return (self, "--cpu-priority \(rawValue)") }
        if !serverIsLocal { return (.normal, "the server is on another machine") }
        if live { return (.normal, "the source is live and must be read as it comes") }
        if !canReturn() { return (.normal, "this process could not return to normal priority if other work starved it") }
        return (.background, "the server is on this machine and the source is a file")
    }

    /// Applies the priority for a run; prints the choice with `verbose`, and always when the watchdog gives up the
    /// background or the system refuses it.
    func apply(serverIsLocal: Bool, live: Bool, verbose: Bool, say: @escaping @Sendable (String) -> Void) {
        var canReturn: Bool?  // probed once, and only when it matters
        let probe = {
            let known = canReturn ?? SchedulingPolicy.canReturnToNormal()
            canReturn = known
            return known
        }
        let (priority, why) = resolved(serverIsLocal: serverIsLocal, live: live, canReturn: probe)
        guard priority == .background else {
            if verbose { say("cpu priority: normal (\(why))") }
            return
        }
        let outcome = BackgroundProcess.enter(guarded: probe()) {
            say("cpu priority: back to normal: other processes keep this machine's CPU busy, and the background run was starved")
        }
        switch outcome {
        case .applied(let threads, let guarded):
            if verbose {
                say("cpu priority: background, SCHED_IDLE on \(threads) threads\(guarded ? ", watched" : ", unwatched (cannot return to normal)") (\(why))")
            }
        case .refused(let code):
            say("cpu priority: background is not allowed here (sched_setscheduler: \(String(cString: strerror(code)))); running at normal priority")
        }
    }
}
