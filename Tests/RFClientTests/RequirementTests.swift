import Foundation
import TestSupport
import Testing

/// Under INFERENCE_REQUIRE_SERVER=1 (scripts/test.sh, CI) the suites run even when something they need is missing
/// (``Requirement``): this names what is missing, once, instead of a skipped suite keeping the run green.
@Suite struct RFClientRequirementTests {
    @Test(.enabled(if: RealServer.required, "only under INFERENCE_REQUIRE_SERVER=1"))
    func everythingTheCLISuitesNeedIsHere() {
        Requirement.expect(CLI.executable != nil, "the built rfclient (swift build --build-tests)")
        Requirement.expect(Requirement.isRoot, "root (FullDiskTests mounts a tmpfs)")
    }
}
