// JPEG decoding with libjpeg(-turbo) (see CJanusImageCodecs.h for the contract).
#include "CJanusImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

struct jic_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    jmp_buf jump;
    int created;
    jic_status failure;
    char message[JMSG_LENGTH_MAX + 64];
};

static void fail(j_common_ptr cinfo, jic_status status) {
    jic_jpeg_decoder *decoder = cinfo->client_data;
    decoder->failure = status;
    (*cinfo->err->format_message)(cinfo, decoder->message);
    longjmp(decoder->jump, 1);
}

static void on_jpeg_error(j_common_ptr cinfo) {
    switch (cinfo->err->msg_code) {
    case JERR_EMPTY_IMAGE:
        fail(cinfo, JIC_EMPTY_IMAGE);
        break;
    case JERR_OUT_OF_MEMORY:
        fail(cinfo, JIC_OUT_OF_MEMORY);
        break;
    default:
        fail(cinfo, JIC_CORRUPT);
    }
}

static void on_jpeg_message(j_common_ptr cinfo, int level) {
    // Level -1 is a warning. Pillow ignores corrupt-data warnings and keeps the pixels,
    // but a premature end of data is an error there ("image file is truncated"), where
    // libjpeg alone would pad the rest of the picture with grey.
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        fail(cinfo, JIC_TRUNCATED);
    }
}

static void silence(j_common_ptr cinfo) {
    (void)cinfo;
}

static void fill_info(const jic_jpeg_decoder *decoder, jic_jpeg_info *info) {
    const struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    *info = (jic_jpeg_info){
        .width = cinfo->image_width,
        .height = cinfo->image_height,
        .components = cinfo->num_components,
        .color_space = cinfo->jpeg_color_space,
        .progressive = cinfo->progressive_mode,
    };
    for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1 && marker->data_length >= 6 &&
            memcmp(marker->data, "Exif\0\0", 6) == 0) {
            info->exif = marker->data;
            info->exif_size = marker->data_length;
            break;
        }
    }
}

jic_status jic_jpeg_open(const uint8_t *data, size_t size, jic_jpeg_decoder **out, jic_jpeg_info *info) {
    memset(info, 0, sizeof *info);
    jic_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    *out = decoder;
    if (!decoder) {
        return JIC_OUT_OF_MEMORY;
    }
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    cinfo->err = jpeg_std_error(&decoder->errors);
    decoder->errors.error_exit = on_jpeg_error;
    decoder->errors.emit_message = on_jpeg_message;
    decoder->errors.output_message = silence;
    // jpeg_create_decompress keeps err and client_data.
    cinfo->client_data = decoder;
    if (setjmp(decoder->jump)) {
        // The frame header's size is known when it declared an empty image.
        if (decoder->failure == JIC_EMPTY_IMAGE) {
            fill_info(decoder, info);
        }
        return decoder->failure;
    }
    decoder->created = 1;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(cinfo, TRUE);
    fill_info(decoder, info);

    // Pillow's modes: 1 component -> "L", 3 -> "RGB" (libjpeg converts YCbCr),
    // 4 -> "CMYK" (libjpeg converts YCCK).
    switch (cinfo->num_components) {
    case 1:
        cinfo->out_color_space = JCS_GRAYSCALE;
        break;
    case 3:
        cinfo->out_color_space = JCS_RGB;
        break;
    case 4:
        cinfo->out_color_space = JCS_CMYK;
        break;
    default:
        snprintf(decoder->message, sizeof decoder->message, "JPEG with %d colour components",
                 cinfo->num_components);
        return JIC_UNSUPPORTED;
    }
    return JIC_OK;
}

/// Pillow's MULDIV255: a * b / 255, rounded, without a division.
static inline int muldiv255(int a, int b) {
    int product = a * b + 128;
    return ((product >> 8) + product) >> 8;
}

static inline uint8_t clip8(int value) {
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

/// Pillow reads every 4-component JPEG as "CMYK;I" (inverted, "assume adobe
/// conventions") and converts CMYK to RGB with cmyk2rgb: channel = (255 - K) scaled by
/// (255 - C) / 255, using its integer MULDIV255.
static void convert_cmyk_row(const JSAMPLE *cmyk, size_t width, uint8_t *rgb) {
    for (size_t x = 0; x < width; x++) {
        const JSAMPLE *sample = cmyk + 4 * x;
        // Pillow's "CMYK;I" unpacker inverts what libjpeg returns.
        int inverted_k = 255 - sample[3];
        int not_k = 255 - inverted_k;
        for (int channel = 0; channel < 3; channel++) {
            int inverted_ink = 255 - sample[channel];
            rgb[3 * x + channel] = clip8(not_k - muldiv255(inverted_ink, not_k));
        }
    }
}

static void convert_grey_row(const JSAMPLE *grey, size_t width, uint8_t *rgb) {
    for (size_t x = 0; x < width; x++) {
        rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = grey[x];
    }
}

jic_status jic_jpeg_read_rgb(jic_jpeg_decoder *decoder, uint8_t *rgb) {
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (setjmp(decoder->jump)) {
        return decoder->failure;
    }
    // libjpeg's defaults (JDCT_ISLOW, fancy upsampling, no scaling) are what Pillow uses.
    jpeg_start_decompress(cinfo);
    const size_t width = cinfo->output_width;
    const int components = cinfo->output_components;
    if (cinfo->output_width != cinfo->image_width || cinfo->output_height != cinfo->image_height) {
        snprintf(decoder->message, sizeof decoder->message, "libjpeg changed the output size");
        return JIC_UNSUPPORTED;
    }
    // A scratch row for layouts that need converting; libjpeg frees it with the image.
    JSAMPARRAY scratch = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                                      (JDIMENSION)(width * (size_t)components), 1);
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *target = rgb + (size_t)cinfo->output_scanline * width * 3;
        JSAMPROW row = components == 3 ? target : scratch[0];
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
            snprintf(decoder->message, sizeof decoder->message, "libjpeg returned no scanline");
            return JIC_CORRUPT;
        }
        if (components == 1) {
            convert_grey_row(row, width, target);
        } else if (components == 4) {
            convert_cmyk_row(row, width, target);
        }
    }
    // Reads up to EOI, so a file cut after the last scan is reported as truncated, as
    // Pillow does.
    jpeg_finish_decompress(cinfo);
    return JIC_OK;
}

const char *jic_jpeg_message(const jic_jpeg_decoder *decoder) {
    return decoder ? decoder->message : "out of memory";
}

void jic_jpeg_close(jic_jpeg_decoder *decoder) {
    if (!decoder) {
        return;
    }
    if (decoder->created) {
        jpeg_destroy_decompress(&decoder->cinfo);
    }
    free(decoder);
}
