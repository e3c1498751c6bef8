// PNG decoding with libpng's low-level API (see CJanusImageCodecs.h for the contract).
#include "CJanusImageCodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jic_png_decoder {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    /// Set by the read callback when libpng asks for bytes past the end of the data.
    int ran_out;
    jic_png_info header;
    /// Owned by the handle rather than by a stack frame, so an error longjmp cannot
    /// leak them: jic_png_close frees them.
    png_bytep *rows;
    uint8_t *grey16;
    char message[256];
};

static void set_message(jic_png_decoder *decoder, const char *text) {
    snprintf(decoder->message, sizeof decoder->message, "%s", text);
}

static void on_png_error(png_structp png, png_const_charp text) {
    set_message(png_get_error_ptr(png), text);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp text) {
    // Warnings are about ancillary chunks (a bad iCCP profile, a CRC error in a text
    // chunk, ...) that do not change the pixels; Pillow carries on as well.
    (void)png;
    (void)text;
}

static void read_from_memory(png_structp png, png_bytep out, size_t length) {
    jic_png_decoder *decoder = png_get_io_ptr(png);
    if (length > decoder->size - decoder->offset) {
        decoder->ran_out = 1;
        png_error(png, "the data ends before the image is complete");
    }
    memcpy(out, decoder->data + decoder->offset, length);
    decoder->offset += length;
}

static jic_status failure_status(const jic_png_decoder *decoder) {
    return decoder->ran_out ? JIC_TRUNCATED : JIC_CORRUPT;
}

jic_status jic_png_open(const uint8_t *data, size_t size, jic_png_decoder **out, jic_png_info *info) {
    jic_png_decoder *decoder = calloc(1, sizeof *decoder);
    *out = decoder;
    if (!decoder) {
        return JIC_OUT_OF_MEMORY;
    }
    decoder->data = data;
    decoder->size = size;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, on_png_error, on_png_warning);
    if (!decoder->png) {
        set_message(decoder, "cannot create a libpng reader");
        return JIC_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(decoder->png))) {
        return failure_status(decoder);
    }
    decoder->info = png_create_info_struct(decoder->png);
    png_set_read_fn(decoder->png, decoder, read_from_memory);
    // The caller enforces its own pixel-count limit; libpng's default of 1,000,000
    // pixels per side would refuse long, thin images that Pillow opens.
    png_set_user_limits(decoder->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(decoder->png, decoder->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(decoder->png, decoder->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    decoder->header = (jic_png_info){
        .width = width,
        .height = height,
        .bit_depth = bit_depth,
        .color_type = color_type,
        .interlaced = interlace != PNG_INTERLACE_NONE,
    };
    *info = decoder->header;
    return JIC_OK;
}

/// Pillow opens 16-bit greyscale PNGs as mode "I;16" and its I;16 -> RGB conversion
/// clamps: values above 255 become 255, the rest keep their low byte.
static void convert_grey16_to_rgb(const uint8_t *grey16, size_t pixels, uint8_t *rgb) {
    for (size_t i = 0; i < pixels; i++) {
        unsigned value = ((unsigned)grey16[2 * i] << 8) | grey16[2 * i + 1];
        uint8_t clamped = value > 255 ? 255 : (uint8_t)value;
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = clamped;
    }
}

jic_status jic_png_read_rgb(jic_png_decoder *decoder, uint8_t *rgb) {
    png_structp png = decoder->png;
    const jic_png_info header = decoder->header;
    const int grey16 = header.color_type == PNG_COLOR_TYPE_GRAY && header.bit_depth == 16;
    if (setjmp(png_jmpbuf(png))) {
        return failure_status(decoder);
    }
    if (!grey16) {
        // Pillow's convert("RGB"): palette indices go through the palette (tRNS only
        // matters for RGBA, and palette_to_rgb's tRNS expansion is stripped below);
        // 1/2/4-bit grey is scaled by bit replication, as Pillow's L;1/L;2/L;4 unpackers
        // do; 16-bit samples keep their high byte (Pillow's RGB;16B, RGBA;16B, LA;16B).
        if (header.color_type == PNG_COLOR_TYPE_PALETTE) {
            png_set_palette_to_rgb(png);
        }
        if (header.color_type == PNG_COLOR_TYPE_GRAY && header.bit_depth < 8) {
            png_set_expand_gray_1_2_4_to_8(png);
        }
        if (header.bit_depth == 16) {
            png_set_strip_16(png);
        }
        png_set_strip_alpha(png);
        if (header.color_type == PNG_COLOR_TYPE_GRAY || header.color_type == PNG_COLOR_TYPE_GRAY_ALPHA) {
            png_set_gray_to_rgb(png);
        }
    }
    // No gamma, sRGB or ICC handling is requested, so libpng leaves samples as stored,
    // like Pillow.
    png_set_interlace_handling(png);
    png_read_update_info(png, decoder->info);

    const size_t width = header.width, height = header.height;
    const size_t row_bytes = grey16 ? width * 2 : width * 3;
    if (png_get_rowbytes(png, decoder->info) != row_bytes) {
        set_message(decoder, "libpng produced an unexpected row layout");
        return JIC_UNSUPPORTED;
    }
    decoder->rows = malloc(height * sizeof *decoder->rows);
    if (grey16) {
        decoder->grey16 = malloc(row_bytes * height);
    }
    if (!decoder->rows || (grey16 && !decoder->grey16)) {
        set_message(decoder, "out of memory for the decoded rows");
        return JIC_OUT_OF_MEMORY;
    }
    uint8_t *target = grey16 ? decoder->grey16 : rgb;
    for (size_t y = 0; y < height; y++) {
        decoder->rows[y] = target + y * row_bytes;
    }
    // Reads every pass of an interlaced image. png_read_end is not called: Pillow
    // ignores whatever follows the image data, including a missing IEND.
    png_read_image(png, decoder->rows);
    if (grey16) {
        convert_grey16_to_rgb(decoder->grey16, width * height, rgb);
    }
    return JIC_OK;
}

const char *jic_png_message(const jic_png_decoder *decoder) {
    return decoder ? decoder->message : "out of memory";
}

void jic_png_close(jic_png_decoder *decoder) {
    if (!decoder) {
        return;
    }
    if (decoder->png) {
        png_destroy_read_struct(&decoder->png, decoder->info ? &decoder->info : NULL, NULL);
    }
    free(decoder->rows);
    free(decoder->grey16);
    free(decoder);
}
