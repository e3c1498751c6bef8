// janus_measure_read_bandwidth: how fast this host streams memory into the cores, the
// floor under every decode step (which reads each weight once).
#include "janus_kernels.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

typedef struct {
    const uint64_t *words;
    uint64_t sums[JANUS_MAX_THREADS];
    size_t chunk;
} read_job;

static void read_words(void *context, size_t begin, size_t end) {
    read_job *job = context;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = begin * job->chunk; i < end * job->chunk; i += 4) {
        a += job->words[i];
        b ^= job->words[i + 1];
        c += job->words[i + 2];
        d ^= job->words[i + 3];
    }
    job->sums[begin % JANUS_MAX_THREADS] = a + b + c + d;  // keeps the loads
}

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

struct janus_read_probe {
    uint64_t *words;
    size_t chunks;
};

enum { CHUNK_WORDS = 1 << 15 };  // 256 KiB per unit of work

janus_read_probe *janus_read_probe_create(size_t bytes) {
    size_t chunks = bytes / (CHUNK_WORDS * 8);
    if (chunks == 0) return NULL;
    size_t total = chunks * CHUNK_WORDS * 8;
    janus_read_probe *probe = malloc(sizeof *probe);
    if (!probe) return NULL;
    // Huge pages, as the weights have (HugePageMemory): with 4 KiB pages this VM reads
    // at half the rate.
    probe->words = aligned_alloc(1 << 21, (total + (1 << 21) - 1) & ~(size_t)((1 << 21) - 1));
    if (!probe->words) {
        free(probe);
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    madvise(probe->words, total, MADV_HUGEPAGE);
#endif
    // Written, so that reads hit real pages rather than the shared zero page.
    for (size_t i = 0; i < chunks * CHUNK_WORDS; i++) probe->words[i] = i * 0x9e3779b97f4a7c15ull;
    probe->chunks = chunks;
    return probe;
}

double janus_read_probe_sample(janus_read_probe *probe, size_t threads) {
    read_job job = { .words = probe->words, .chunk = CHUNK_WORDS };
    double start = seconds_now();
    janus_parallel_for(probe->chunks, threads, read_words, &job);
    return (double)(probe->chunks * CHUNK_WORDS * 8) / (seconds_now() - start);
}

void janus_read_probe_destroy(janus_read_probe *probe) {
    if (!probe) return;
    free(probe->words);
    free(probe);
}

double janus_measure_read_bandwidth(size_t bytes, size_t passes, size_t threads) {
    janus_read_probe *probe = passes > 0 ? janus_read_probe_create(bytes) : NULL;
    if (!probe) return 0;
    double best = 0;
    for (size_t pass = 0; pass < passes; pass++) {
        double rate = janus_read_probe_sample(probe, threads);
        if (rate > best) best = rate;
    }
    janus_read_probe_destroy(probe);
    return best;
}
