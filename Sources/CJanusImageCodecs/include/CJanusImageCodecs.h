// Low-level image decoding and resampling for JanusImage.
//
// libpng and libjpeg report fatal errors by longjmp-ing out of the failing call, which
// Swift cannot survive, so every call into those libraries happens here, behind a
// setjmp, and comes back as a status code plus a message. The Swift side never sees
// libpng or libjpeg types: decoders are opaque handles.
#ifndef CJANUS_IMAGE_CODECS_H
#define CJANUS_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a codec call; the decoder's message says more.
typedef enum {
    JIC_OK = 0,
    /// The data ended before the image was complete.
    JIC_TRUNCATED = 1,
    /// The library rejected the data (bad CRC, bad marker, bad zlib stream, ...).
    JIC_CORRUPT = 2,
    JIC_OUT_OF_MEMORY = 3,
    /// Valid data in a layout we do not decode (e.g. a 2-component JPEG).
    JIC_UNSUPPORTED = 4,
    /// The header declares a zero width or height.
    JIC_EMPTY_IMAGE = 5,
} jic_status;

// MARK: PNG

typedef struct jic_png_decoder jic_png_decoder;

typedef struct {
    uint32_t width;
    uint32_t height;
    /// IHDR values, kept to describe the source (PNG_COLOR_TYPE_*, 1...16, 0 or 1).
    int bit_depth;
    int color_type;
    int interlaced;
} jic_png_info;

/// Parses the PNG header (everything up to the first IDAT) of `data`, which must stay
/// alive and unchanged until `jic_png_close`. No pixel memory is allocated yet, so the
/// caller can check the size first. `*decoder` is always set (NULL only when even the
/// handle could not be allocated) and must be closed, also after an error.
jic_status jic_png_open(const uint8_t *data, size_t size, jic_png_decoder **decoder, jic_png_info *info);

/// Decodes the whole image as 8-bit RGB into `rgb` (width * height * 3 bytes), the way
/// Pillow's `Image.open(...).convert("RGB")` sees it: no gamma or ICC transform, alpha
/// dropped without compositing, grey replicated, palette expanded (tRNS ignored),
/// 1/2/4-bit samples scaled to 8 bits, 16-bit samples cut to their high byte, except
/// 16-bit greyscale, which Pillow reads as "I;16" and clamps to 255 when converting.
jic_status jic_png_read_rgb(jic_png_decoder *decoder, uint8_t *rgb);

/// What went wrong in the last failing call ("" if nothing did).
const char *jic_png_message(const jic_png_decoder *decoder);

void jic_png_close(jic_png_decoder *decoder);

// MARK: JPEG

typedef struct jic_jpeg_decoder jic_jpeg_decoder;

typedef struct {
    /// Also filled when the frame header declares an empty image (JIC_EMPTY_IMAGE).
    uint32_t width;
    uint32_t height;
    int components;
    /// libjpeg's J_COLOR_SPACE of the file (JCS_GRAYSCALE, JCS_YCbCr, JCS_CMYK, ...).
    int color_space;
    int progressive;
    /// Payload of the first APP1 "Exif\0\0" segment (starting at "Exif"), or NULL.
    /// Valid only until `jic_jpeg_read_rgb` or `jic_jpeg_close`: libjpeg frees saved
    /// markers when decompression finishes.
    const uint8_t *exif;
    size_t exif_size;
} jic_jpeg_info;

/// Reads the JPEG headers up to the first scan; same contract as `jic_png_open`.
jic_status jic_jpeg_open(const uint8_t *data, size_t size, jic_jpeg_decoder **decoder, jic_jpeg_info *info);

/// Decodes the whole image as 8-bit RGB into `rgb` (width * height * 3 bytes) the way
/// Pillow does: libjpeg's defaults (ISLOW DCT, fancy upsampling), greyscale replicated,
/// 4-component images read as inverted CMYK (Pillow's "CMYK;I", applied to every CMYK
/// JPEG) and converted with Pillow's cmyk2rgb. A file that ends early is an error, as in
/// Pillow, even though libjpeg on its own would pad it with grey.
jic_status jic_jpeg_read_rgb(jic_jpeg_decoder *decoder, uint8_t *rgb);

const char *jic_jpeg_message(const jic_jpeg_decoder *decoder);

void jic_jpeg_close(jic_jpeg_decoder *decoder);

// MARK: Resampling

/// Pillow's `Image.resize((out_width, out_height), Image.BICUBIC)` for 8-bit images with
/// `channels` interleaved channels (1...4), bit for bit: see resample.c. `input` is
/// in_width * in_height * channels bytes, `output` out_width * out_height * channels.
/// All sizes must be positive. Returns JIC_OK or JIC_OUT_OF_MEMORY.
jic_status jic_resample_bicubic(const uint8_t *input, int in_width, int in_height, int channels,
                                uint8_t *output, int out_width, int out_height);

#ifdef __cplusplus
}
#endif

#endif
