import CJanusImageCodecs

extension RGBImage {
    /// Pillow's `Image.resize((width, height), Image.BICUBIC)` for an RGB image, bit for
    /// bit (the convolution resampler of Pillow's Resample.c, ported in
    /// CJanusImageCodecs/resample.c): separable passes in Pillow 13's order (vertical first
    /// only when the height shrinks by more than twice as many pixels as the width), cubic kernel with a = -0.5
    /// stretched by the downscaling factor (so downscaling averages, as Pillow's
    /// antialiasing does), fixed-point weights with 22 fractional bits, rounding and
    /// clamping after each pass. Both sizes must be positive, as must the image's.
    public func resizedBicubic(width outWidth: Int, height outHeight: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "resizedBicubic: cannot resize an empty \(width)x\(height) image")
        precondition(outWidth > 0 && outHeight > 0, "resizedBicubic: target \(outWidth)x\(outHeight) is empty")
        precondition(max(width, height, outWidth, outHeight) <= Int(Int32.max), "resizedBicubic: size beyond Int32")
        var status = JIC_OK
        let output = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * 3) { buffer, initialized in
            status = pixels.withUnsafeBufferPointer { source in
                guard let input = source.baseAddress, let target = buffer.baseAddress else { return JIC_OUT_OF_MEMORY }
                return jic_resample_bicubic(input, Int32(width), Int32(height), 3,
                                            target, Int32(outWidth), Int32(outHeight))
            }
            initialized = status == JIC_OK ? buffer.count : 0
        }
        // Only the coefficient and scratch buffers can fail (malloc): as fatal as any other
        // allocation failure in Swift.
        precondition(status == JIC_OK, "resizedBicubic: out of memory resizing \(width)x\(height) to \(outWidth)x\(outHeight)")
        return RGBImage(width: outWidth, height: outHeight, pixels: output)
    }
}
