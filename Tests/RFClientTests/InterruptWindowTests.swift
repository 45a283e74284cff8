@testable import RFClientCommon
import Testing

/// The rule that tells a second Ctrl-C from a first (`Interrupt.Presses`), on instants the test chooses, so that no
/// test waits out the window for each case: a press within ``Interrupt/forceWindow`` of the one before quits at once;
/// a later one counts as a first again, and opens a window of its own. SecondInterruptTests has the built rfclient
/// do both once.
@Suite struct InterruptWindowTests {
    let t0 = ContinuousClock.now
    let window = Interrupt.forceWindow

    @Test func theWindowIsTheFiveSecondsREADMEStates() {
        #expect(window == .seconds(5))
    }

    @Test func aPressWithinTheWindowIsASecondOne() {
        let presses = Interrupt.Presses()
        #expect(!presses.isSecondPress(at: t0), "the first Ctrl-C")
        #expect(presses.isSecondPress(at: t0 + .milliseconds(1)))
        let atTheEnd = Interrupt.Presses()
        #expect(!atTheEnd.isSecondPress(at: t0))
        #expect(atTheEnd.isSecondPress(at: t0 + window), "5 s after the first is still within 5 s")
    }

    @Test func aPressAfterTheWindowCountsAsAFirstOneAgain() {
        let presses = Interrupt.Presses()
        #expect(!presses.isSecondPress(at: t0))
        let late = t0 + window + .milliseconds(1)
        #expect(!presses.isSecondPress(at: late), "a Ctrl-C just after the window quit at once")
        // It counts as a first: it is remembered (not ignored), and a press within the window after it quits.
        #expect(presses.isSecondPress(at: late + window), "a Ctrl-C within 5 s of the late one did not quit")
    }

    @Test func pressesMoreThanTheWindowApartNeverQuit() {
        let presses = Interrupt.Presses()
        for step in 0..<5 {
            #expect(!presses.isSecondPress(at: t0 + (window + .seconds(1)) * step), "press \(step + 1)")
        }
    }
}
