import COpenBLAS
import CJPEG
import CPNG
import CProtobufC
import CZeroMQ
import Testing

/// The Debian packages that scripts/setup-debian.sh installs are present, link, and
/// answer a real call each.
@Suite struct NativeLibrariesTests {
    @Test func openBLASMultipliesMatrices() {
        let a: [Float] = [1, 2, 3, 4]      // 2x2
        let b: [Float] = [5, 6, 7, 8]      // 2x2
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func zeroMQReportsVersion4() {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        #expect(major == 4)
    }

    @Test func libpngHeaderMatchesLibrary() {
        let version = png_access_version_number()
        #expect(version >= 10600 && version < 10700)
    }

    @Test func libjpegCreatesADecompressor() {
        var info = jpeg_decompress_struct()
        var errors = jpeg_error_mgr()
        info.err = jpeg_std_error(&errors)
        jpeg_CreateDecompress(&info, JPEG_LIB_VERSION, MemoryLayout<jpeg_decompress_struct>.size)
        #expect(info.global_state != 0)
        jpeg_destroy_decompress(&info)
    }

    @Test func protobufCReportsVersion() {
        #expect(protobuf_c_version_number() >= 1_000_000)
    }
}
