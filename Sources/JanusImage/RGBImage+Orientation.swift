extension RGBImage {
    /// The picture turned upright according to `orientation`, the same pixels as Pillow's
    /// `ImageOps.exif_transpose` (2: mirror left-right, 3: rotate 180, 4: mirror
    /// top-bottom, 5: transpose, 6: rotate 90 clockwise, 7: transverse, 8: rotate 90
    /// counter-clockwise).
    public func upright(from orientation: EXIFOrientation) -> RGBImage {
        let lastX = width - 1, lastY = height - 1
        // For each upright pixel (x, y), the stored pixel it comes from.
        let source: (Int, Int) -> (x: Int, y: Int)
        switch orientation {
        case .topLeft: return self
        case .topRight: source = { x, y in (lastX - x, y) }
        case .bottomRight: source = { x, y in (lastX - x, lastY - y) }
        case .bottomLeft: source = { x, y in (x, lastY - y) }
        case .leftTop: source = { x, y in (y, x) }
        case .rightTop: source = { x, y in (y, lastY - x) }
        case .rightBottom: source = { x, y in (lastX - y, lastY - x) }
        case .leftBottom: source = { x, y in (lastX - y, x) }
        }
        let outWidth = orientation.swapsWidthAndHeight ? height : width
        let outHeight = orientation.swapsWidthAndHeight ? width : height
        var output = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let from = source(x, y)
                let sourceOffset = (from.y * width + from.x) * 3
                let targetOffset = (y * outWidth + x) * 3
                output[targetOffset] = pixels[sourceOffset]
                output[targetOffset + 1] = pixels[sourceOffset + 1]
                output[targetOffset + 2] = pixels[sourceOffset + 2]
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: output)
    }
}
