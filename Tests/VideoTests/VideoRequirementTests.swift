import Foundation
import TestSupport
import Testing

/// Under INFERENCE_REQUIRE_SERVER=1 (scripts/test.sh, CI) the video suites run even when something they need is
/// missing (``Requirement``): this names what is missing, once, instead of a skipped suite keeping the run green.
@Suite struct VideoRequirementTests {
    @Test(.enabled(if: RealServer.required, "only under INFERENCE_REQUIRE_SERVER=1"))
    func everythingTheVideoSuitesNeedIsHere() {
        Requirement.expect(Clips.python != nil, "INFERENCE_PYTHON (the inference venv's python writes the test clips; scripts/test.sh sets it)")
        Requirement.expect(Clips.ffmpeg != nil, "ffmpeg (H.264 clips, HLS and RTSP streams; scripts/bootstrap.sh installs Debian's ffmpeg)")
        Requirement.expect(Requirement.isRoot, "root (VideoFullDiskTests mounts a tmpfs)")
    }
}
