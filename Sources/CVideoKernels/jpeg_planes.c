#include "jpeg_planes.h"
#include "range_rows.h"
#include "video_kernels.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

struct rf_jpeg_encoder {
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr errors;
    struct jpeg_destination_mgr destination;
    jmp_buf jump;
    uint8_t *out;           /* the JPEG being written; grows, kept from picture to picture */
    size_t out_capacity;
    size_t out_size;
    uint8_t *strip;         /* one MCU row of every component, expanded and padded; kept too */
    size_t strip_capacity;
    char message[JMSG_LENGTH_MAX];
};

static void on_error(j_common_ptr cinfo) {
    rf_jpeg_encoder *encoder = (rf_jpeg_encoder *)cinfo->client_data;
    (*cinfo->err->format_message)(cinfo, encoder->message);
    longjmp(encoder->jump, 1);
}

static void on_warning(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

static void destination_init(j_compress_ptr cinfo) {
    rf_jpeg_encoder *encoder = (rf_jpeg_encoder *)cinfo->client_data;
    cinfo->dest->next_output_byte = encoder->out;
    cinfo->dest->free_in_buffer = encoder->out_capacity;
}

/* The buffer is full: twice the room, writing goes on where it stopped. */
static boolean destination_grow(j_compress_ptr cinfo) {
    rf_jpeg_encoder *encoder = (rf_jpeg_encoder *)cinfo->client_data;
    size_t used = encoder->out_capacity;
    size_t capacity = used * 2;
    uint8_t *grown = realloc(encoder->out, capacity);
    if (!grown) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
    encoder->out = grown;
    encoder->out_capacity = capacity;
    cinfo->dest->next_output_byte = grown + used;
    cinfo->dest->free_in_buffer = capacity - used;
    return TRUE;
}

static void destination_end(j_compress_ptr cinfo) {
    rf_jpeg_encoder *encoder = (rf_jpeg_encoder *)cinfo->client_data;
    encoder->out_size = encoder->out_capacity - cinfo->dest->free_in_buffer;
}

rf_jpeg_encoder *rf_jpeg_encoder_create(void) {
    rf_jpeg_encoder *encoder = calloc(1, sizeof(rf_jpeg_encoder));
    if (!encoder) return NULL;
    encoder->cinfo.err = jpeg_std_error(&encoder->errors);
    encoder->errors.error_exit = on_error;
    encoder->errors.emit_message = on_warning;
    encoder->cinfo.client_data = encoder;
    if (setjmp(encoder->jump)) {
        free(encoder);
        return NULL;
    }
    jpeg_create_compress(&encoder->cinfo);
    encoder->destination.init_destination = destination_init;
    encoder->destination.empty_output_buffer = destination_grow;
    encoder->destination.term_destination = destination_end;
    encoder->cinfo.dest = &encoder->destination;
    snprintf(encoder->message, sizeof encoder->message, "no error");
    return encoder;
}

void rf_jpeg_encoder_destroy(rf_jpeg_encoder *encoder) {
    if (!encoder) return;
    jpeg_destroy_compress(&encoder->cinfo);
    free(encoder->out);
    free(encoder->strip);
    free(encoder);
}

const char *rf_jpeg_encoder_error(const rf_jpeg_encoder *encoder) { return encoder ? encoder->message : "no encoder"; }

static int fail(rf_jpeg_encoder *encoder, const char *message) {
    snprintf(encoder->message, sizeof encoder->message, "%s", message);
    return -1;
}

/* Room for `needed` bytes in a kept buffer. */
static int reserve(uint8_t **buffer, size_t *capacity, size_t needed) {
    if (*capacity >= needed) return 1;
    uint8_t *grown = realloc(*buffer, needed);
    if (!grown) return 0;
    *buffer = grown;
    *capacity = needed;
    return 1;
}

int rf_jpeg_encode_planes(rf_jpeg_encoder *encoder, const uint8_t *const planes[3], const ptrdiff_t strides[3],
                          int width, int height, int h_factor, int v_factor, int quality, int expand_range,
                          const uint8_t **jpeg, size_t *size) {
    if (!encoder) return -1;
    if (!planes || !planes[0] || !planes[1] || !planes[2] || !strides || !jpeg || !size || width < 1 || height < 1
        || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION || h_factor < 1 || h_factor > 2 || v_factor < 1
        || v_factor > 2 || quality < 1 || quality > 100)
        return fail(encoder, "invalid argument");
    /* Each plane's own size, and the rows and columns the encoder reads: whole blocks of the MCU grid. */
    const int plane_w[3] = {width, (width + h_factor - 1) / h_factor, (width + h_factor - 1) / h_factor};
    const int plane_h[3] = {height, (height + v_factor - 1) / v_factor, (height + v_factor - 1) / v_factor};
    const int mcu_w = 8 * h_factor, mcu_h = 8 * v_factor;
    const int blocks_w[3] = {(width + mcu_w - 1) / mcu_w * h_factor, (width + mcu_w - 1) / mcu_w, (width + mcu_w - 1) / mcu_w};
    const int rows[3] = {mcu_h, 8, 8};
    size_t strip_bytes = 0;
    for (int c = 0; c < 3; c++) strip_bytes += (size_t)rows[c] * (size_t)blocks_w[c] * 8;
    if (!reserve(&encoder->strip, &encoder->strip_capacity, strip_bytes)) return fail(encoder, "out of memory");
    /* A first guess that fits most pictures at high quality; the destination grows when it does not. */
    size_t first = (size_t)width * (size_t)height / 2 + 65536;
    if (!reserve(&encoder->out, &encoder->out_capacity, first)) return fail(encoder, "out of memory");

    struct jpeg_compress_struct *cinfo = &encoder->cinfo;
    if (setjmp(encoder->jump)) {
        jpeg_abort_compress(cinfo);
        return -1;
    }
    cinfo->image_width = (JDIMENSION)width;
    cinfo->image_height = (JDIMENSION)height;
    cinfo->input_components = 3;
    cinfo->in_color_space = JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    cinfo->dct_method = quality >= 96 ? JDCT_ISLOW : JDCT_FASTEST;  /* as TurboJPEG chooses */
    jpeg_set_colorspace(cinfo, JCS_YCbCr);
    cinfo->comp_info[0].h_samp_factor = h_factor;
    cinfo->comp_info[0].v_samp_factor = v_factor;
    for (int c = 1; c < 3; c++) cinfo->comp_info[c].h_samp_factor = cinfo->comp_info[c].v_samp_factor = 1;
    cinfo->raw_data_in = TRUE;
    jpeg_start_compress(cinfo, TRUE);

    JSAMPROW row_pointers[3][16];
    JSAMPARRAY components[3] = {row_pointers[0], row_pointers[1], row_pointers[2]};
    const int kernel = rf_range_kernels() - 1;  /* the fastest range expansion this CPU runs, chosen once */
    uint8_t *strip_rows[3];
    strip_rows[0] = encoder->strip;
    strip_rows[1] = strip_rows[0] + (size_t)rows[0] * (size_t)blocks_w[0] * 8;
    strip_rows[2] = strip_rows[1] + (size_t)rows[1] * (size_t)blocks_w[1] * 8;
    for (int mcu_row = 0; mcu_row * mcu_h < height; mcu_row++) {
        for (int c = 0; c < 3; c++) {
            const int padded = blocks_w[c] * 8;
            for (int j = 0; j < rows[c]; j++) {
                int y = mcu_row * rows[c] + j;
                if (y >= plane_h[c]) {  /* past the bottom: the last row again */
                    if (j > 0) {
                        row_pointers[c][j] = row_pointers[c][j - 1];
                        continue;
                    }
                    y = plane_h[c] - 1;
                }
                const uint8_t *source = planes[c] + (ptrdiff_t)y * strides[c];
                if (!expand_range && padded == plane_w[c]) {
                    row_pointers[c][j] = (JSAMPROW)source;  /* read in place */
                    continue;
                }
                uint8_t *row = strip_rows[c] + (size_t)j * (size_t)padded;
                if (expand_range) rf_expand_row(source, row, plane_w[c], c != 0, kernel);
                else memcpy(row, source, (size_t)plane_w[c]);
                memset(row + plane_w[c], row[plane_w[c] - 1], (size_t)(padded - plane_w[c]));  /* past the right edge */
                row_pointers[c][j] = row;
            }
        }
        jpeg_write_raw_data(cinfo, components, (JDIMENSION)mcu_h);
    }
    jpeg_finish_compress(cinfo);
    *jpeg = encoder->out;
    *size = encoder->out_size;
    return 0;
}
