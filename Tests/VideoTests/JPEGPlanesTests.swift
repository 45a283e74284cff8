import CTurboJPEG
import CVideoKernels
import ImageCodecs
import Testing

/// `rf_jpeg_encode_planes`, the video path's JPEG encoder (libjpeg-turbo's raw-data interface, an MCU row at a time,
/// range expansion strip by strip): the bytes TurboJPEG's `tjCompressFromYUVPlanes` writes for the same planes
/// (expanded first where the source is limited range), for pictures of even size; pictures of any size decode to the
/// source; the output buffer grows past its first guess; bad arguments are refused with a reason.
@Suite
struct JPEGPlanesTests {
    /// Planes of a `width` × `height` picture with chroma subsampled by `factors`, each with a stride wider than its
    /// row, filled with gradients and noise in limited range (16…235 / 16…240) so that expansion changes every value.
    struct Picture {
        let width: Int, height: Int, factors: (Int, Int)
        var planes: [[UInt8]] = []
        var strides: [Int] = []
        var sizes: [(Int, Int)] = []

        init(width: Int, height: Int, factors: (Int, Int), seed: UInt32 = 7, noise: Int = 24) {
            self.width = width
            self.height = height
            self.factors = factors
            var state = seed
            for plane in 0..<3 {
                let w = plane == 0 ? width : (width + factors.0 - 1) / factors.0
                let h = plane == 0 ? height : (height + factors.1 - 1) / factors.1
                let stride = w + 24
                var bytes = [UInt8](repeating: 0, count: stride * h)
                for y in 0..<h {
                    for x in 0..<w {
                        state = state &* 1_664_525 &+ 1_013_904_223
                        let base = plane == 0 ? 16 + (x * 3 + y * 2) % 200 : 40 + (x * 5 + y * 7 + plane * 50) % 170
                        let value = base + Int(state >> 24) % noise
                        bytes[y * stride + x] = UInt8(min(plane == 0 ? 235 : 240, value))
                    }
                }
                planes.append(bytes)
                strides.append(stride)
                sizes.append((w, h))
            }
        }

        var subsampling: TJSAMP {
            switch factors {
            case (1, 1): return TJSAMP_444
            case (2, 1): return TJSAMP_422
            default: return TJSAMP_420
            }
        }

        /// What `rf_jpeg_encode_planes` writes, or nil with its error.
        func encoded(quality: Int32, expand: Bool, encoder: OpaquePointer) -> [UInt8]? {
            var jpeg: UnsafePointer<UInt8>?
            var size = 0
            let code = planes[0].withUnsafeBufferPointer { y in
                planes[1].withUnsafeBufferPointer { u in
                    planes[2].withUnsafeBufferPointer { v in
                        let pointers: [UnsafePointer<UInt8>?] = [y.baseAddress, u.baseAddress, v.baseAddress]
                        return rf_jpeg_encode_planes(
                            encoder, pointers, strides, Int32(width), Int32(height), Int32(factors.0), Int32(factors.1),
                            quality, expand ? 1 : 0, &jpeg, &size
                        )
                    }
                }
            }
            guard code == 0, let jpeg else { return nil }
            return Array(UnsafeBufferPointer(start: jpeg, count: size))
        }

        /// TurboJPEG's JPEG of the same picture: the planes expanded to full range first when `expand`.
        func turboJPEG(quality: Int32, expand: Bool) -> [UInt8]? {
            var source = planes
            var sourceStrides = strides.map { Int32($0) }
            if expand {
                for plane in 0..<3 {
                    let (w, h) = sizes[plane]
                    var out = [UInt8](repeating: 0, count: w * h)
                    planes[plane].withUnsafeBufferPointer { src in
                        out.withUnsafeMutableBufferPointer { dst in
                            rf_expand_plane_range(src.baseAddress, strides[plane], dst.baseAddress, w, Int32(w), Int32(h), plane == 0 ? 0 : 1)
                        }
                    }
                    source[plane] = out
                    sourceStrides[plane] = Int32(w)
                }
            }
            guard let handle = tjInitCompress() else { return nil }
            defer { tjDestroy(handle) }
            let capacity = tjBufSize(Int32(width), Int32(height), Int32(subsampling.rawValue))
            var buffer: UnsafeMutablePointer<UInt8>? = tjAlloc(Int32(capacity))
            guard buffer != nil else { return nil }
            defer { tjFree(buffer) }
            var size = capacity
            let code = source[0].withUnsafeBufferPointer { y in
                source[1].withUnsafeBufferPointer { u in
                    source[2].withUnsafeBufferPointer { v in
                        var pointers: [UnsafePointer<UInt8>?] = [y.baseAddress, u.baseAddress, v.baseAddress]
                        return tjCompressFromYUVPlanes(
                            handle, &pointers, Int32(width), sourceStrides, Int32(height), Int32(subsampling.rawValue),
                            &buffer, &size, quality, TJFLAG_NOREALLOC
                        )
                    }
                }
            }
            guard code == 0 else { return nil }
            return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
        }
    }

    /// 1080p and sizes whose planes are not whole blocks or MCUs (100×36: chroma 50×18; 40×22), in each subsampling,
    /// limited and full range, at a quality of the fast DCT (95) and of the accurate one (100).
    @Test(arguments: [(1920, 1080), (64, 48), (100, 36), (40, 22)], [(2, 2), (2, 1), (1, 1)])
    func writesTurboJPEGsBytes(size: (Int, Int), factors: (Int, Int)) throws {
        let picture = Picture(width: size.0, height: size.1, factors: factors)
        let encoder = try #require(rf_jpeg_encoder_create())
        defer { rf_jpeg_encoder_destroy(encoder) }
        for quality: Int32 in [95, 100] {
            for expand in [true, false] {
                let ours = try #require(picture.encoded(quality: quality, expand: expand, encoder: encoder))
                let theirs = try #require(picture.turboJPEG(quality: quality, expand: expand))
                let identical = ours == theirs
                #expect(identical, "\(size.0)×\(size.1) \(factors) q\(quality) expand \(expand): \(Self.difference(ours, theirs))")
            }
        }
    }

    /// Odd sizes (TurboJPEG would read a row and a column past such planes): the JPEG has the picture's size and its
    /// luma is the expanded source's, within JPEG's error; every plane is read only inside its own size (the planes
    /// here end where their last row ends).
    @Test(arguments: [(33, 17), (1, 1), (17, 2), (3, 31)])
    func picturesOfAnySizeDecodeToTheirSource(size: (Int, Int)) throws {
        var picture = Picture(width: size.0, height: size.1, factors: (2, 2), noise: 1)
        for plane in 0..<3 {
            let (w, h) = picture.sizes[plane]
            picture.planes[plane] = (0..<h).flatMap { y in picture.planes[plane][(y * picture.strides[plane])..<(y * picture.strides[plane] + w)] }
            picture.strides[plane] = w
        }
        let encoder = try #require(rf_jpeg_encoder_create())
        defer { rf_jpeg_encoder_destroy(encoder) }
        let jpeg = try #require(picture.encoded(quality: 100, expand: true, encoder: encoder))
        let gray = try JPEGCodec.decode(jpeg, to: .gray8)
        #expect(gray.width == size.0 && gray.height == size.1)
        var worst = 0
        for y in 0..<size.1 {
            for x in 0..<size.0 {
                let expected = Int(rf_range_reference(picture.planes[0][y * size.0 + x], 0))
                worst = max(worst, abs(Int(gray.bytes[y * gray.rowStride + x]) - expected))
            }
        }
        #expect(worst <= 3, "largest luma difference \(worst)")
    }

    /// Noise at quality 100 in 4:4:4 makes a JPEG larger than the encoder's first guess (half a byte per pixel plus
    /// 64 KiB): the buffer grows and the bytes are still TurboJPEG's; a smaller picture afterwards reuses it.
    @Test
    func theOutputGrowsPastItsFirstGuess() throws {
        let picture = Picture(width: 320, height: 240, factors: (1, 1), seed: 3, noise: 200)
        let encoder = try #require(rf_jpeg_encoder_create())
        defer { rf_jpeg_encoder_destroy(encoder) }
        let ours = try #require(picture.encoded(quality: 100, expand: false, encoder: encoder))
        #expect(ours.count > 320 * 240 / 2 + 65_536)
        let theirs = try #require(picture.turboJPEG(quality: 100, expand: false))
        let identical = ours == theirs
        #expect(identical, "\(Self.difference(ours, theirs))")
        let small = Picture(width: 16, height: 16, factors: (2, 2))
        let smallOurs = try #require(small.encoded(quality: 95, expand: true, encoder: encoder))
        let smallIdentical = try smallOurs == #require(small.turboJPEG(quality: 95, expand: true))
        #expect(smallIdentical)
    }

    /// A zero width, a factor of 3 or a quality of 0 is refused with a reason, and the encoder works afterwards.
    @Test
    func badArgumentsAreRefusedWithAReason() throws {
        let encoder = try #require(rf_jpeg_encoder_create())
        defer { rf_jpeg_encoder_destroy(encoder) }
        let picture = Picture(width: 16, height: 16, factors: (2, 2))
        var jpeg: UnsafePointer<UInt8>?
        var size = 0
        let cases: [(Int32, Int32, Int32)] = [(0, 2, 95), (16, 3, 95), (16, 2, 0)]
        for (width, factor, quality) in cases {
            let code = picture.planes[0].withUnsafeBufferPointer { y in
                picture.planes[1].withUnsafeBufferPointer { u in
                    picture.planes[2].withUnsafeBufferPointer { v in
                        rf_jpeg_encode_planes(encoder, [y.baseAddress, u.baseAddress, v.baseAddress], picture.strides, width, 16, factor, 2, quality, 1, &jpeg, &size)
                    }
                }
            }
            #expect(code == -1)
            #expect(String(cString: rf_jpeg_encoder_error(encoder)) == "invalid argument")
        }
        let after = try #require(picture.encoded(quality: 95, expand: true, encoder: encoder))
        let identical = try after == #require(picture.turboJPEG(quality: 95, expand: true))
        #expect(identical)
    }

    /// Where two JPEGs first differ, for the failure message. (The tests compare into a Bool first: a failing
    /// `#expect(a == b)` on JPEGs of 100 KB would print both arrays and work out their difference.)
    static func difference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        return "\(a.count) vs \(b.count) bytes, first difference at byte \(first)"
    }
}
