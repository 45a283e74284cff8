import CTurboJPEG

/// Chroma subsampling for JPEG encoding.
public enum ChromaSubsampling: String, Sendable, CaseIterable {
    /// No subsampling: full-resolution colour (largest files, best colour edges).
    case s444
    /// Half horizontal colour resolution.
    case s422
    /// Half horizontal and vertical colour resolution (libjpeg's and OpenCV's default).
    case s420

    var turboJPEG: Int32 {
        switch self {
        case .s444: return Int32(TJSAMP_444.rawValue)
        case .s422: return Int32(TJSAMP_422.rawValue)
        case .s420: return Int32(TJSAMP_420.rawValue)
        }
    }
}
