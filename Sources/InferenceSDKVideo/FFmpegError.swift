import CFFmpeg

/// FFmpeg's text for a negative return code.
func ffmpegErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    return buffer.withUnsafeMutableBufferPointer { pointer -> String in
        guard let base = pointer.baseAddress else { return "error \(code)" }
        return String(cString: rf_av_err2str(code, base, pointer.count))
    }
}
