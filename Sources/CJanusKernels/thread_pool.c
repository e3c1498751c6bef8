// The persistent thread pool behind janus_parallel_for.
//
// A decode step runs a few hundred kernels of a few hundred microseconds each, so
// starting threads per call, or waking them through the kernel every time, would cost
// more than the work. Workers therefore spin on one atomic word for a short while
// after each loop and only then sleep on a condition variable.
//
// Partitioning is static: thread i owns the i-th contiguous chunk of the range (for
// `linear`, its own rows of the weight, streamed once). A thread takes its chunk in a
// few pieces, and one that finishes early takes the untouched pieces of the others.
// That changes nothing when all threads run, but on a shared machine a worker the OS
// has not scheduled yet no longer holds the caller up for a whole time slice.
//
// Every loop gets a new generation number, which tags the published word (so a worker
// learns in one load that there is work and whether it takes part) and every chunk's
// cursor (so a worker that wakes late cannot claim a piece of a later loop with an
// earlier loop's view of it).
#define _GNU_SOURCE  // sched_getaffinity, CPU_COUNT
#include "janus_kernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_BITS 16
#define CHUNK_MASK ((1ull << CHUNK_BITS) - 1)
/// Pieces per chunk: enough for a finished thread to take over most of a late one's
/// work, few enough that claiming (one compare-and-swap) costs nothing.
#define PIECES_PER_CHUNK 8
/// How long an idle worker keeps polling before it sleeps: long enough to bridge the
/// gaps between the kernels of one decode step, short enough not to hog a core that a
/// BLAS thread or another process wants.
#define SPIN_NANOSECONDS 200000ll

typedef struct {
    /// generation << 32 | next index: the chunk's unclaimed part starts at `next`.
    _Atomic uint64_t cursor;
    _Atomic uint64_t end;
    /// Pad to a cache line: threads claim from different chunks at the same time.
    char padding[64 - 2 * sizeof(uint64_t)];
} chunk_state;

typedef struct {
    pthread_mutex_t call_lock;            // one loop at a time
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    size_t sleepers;                      // workers waiting on `wake` (under sleep_lock)
    /// generation << CHUNK_BITS | chunk count; on a line of its own, since idle workers
    /// poll it while busy threads update `remaining`.
    _Alignas(64) _Atomic uint64_t published;
    _Alignas(64) _Atomic size_t remaining;  // indices of the current loop not yet done
    _Alignas(64) size_t workers;          // threads started besides the callers
    _Atomic size_t default_threads;
    // The current loop; read only by a thread holding a claimed piece of it.
    janus_range_body body;
    void *context;
    _Atomic size_t piece;                 // indices per claim
    chunk_state chunks[JANUS_MAX_THREADS];
} thread_pool;

static thread_pool pool = {
    .call_lock = PTHREAD_MUTEX_INITIALIZER,
    .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

/// Set on pool workers for good and on a caller while it runs its chunk: a nested
/// janus_parallel_for from such a thread runs inline instead of deadlocking.
static _Thread_local int inside_pool = 0;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long long now_nanoseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static uint64_t generation_of(uint64_t word) { return word >> CHUNK_BITS; }

/// Chunk `index` of `chunks` near-equal contiguous pieces of [0, count).
static void chunk_range(size_t count, size_t chunks, size_t index, size_t *begin, size_t *end) {
    size_t base = count / chunks, extra = count % chunks;
    *begin = index * base + (index < extra ? index : extra);
    *end = *begin + base + (index < extra ? 1 : 0);
}

/// Claims the next piece of chunk `c` for loop `generation` into [*begin, *end);
/// false when the chunk is used up or belongs to another loop.
static int claim_piece(size_t c, uint64_t generation, size_t *begin, size_t *end) {
    chunk_state *chunk = &pool.chunks[c];
    uint64_t tag = (generation & 0xffffffffu) << 32;
    uint64_t cursor = atomic_load_explicit(&chunk->cursor, memory_order_acquire);
    for (;;) {
        if ((cursor & ~(uint64_t)0xffffffffu) != tag) return 0;
        size_t next = (size_t)(cursor & 0xffffffffu);
        size_t limit = (size_t)atomic_load_explicit(&chunk->end, memory_order_relaxed);
        if (next >= limit) return 0;
        size_t piece = atomic_load_explicit(&pool.piece, memory_order_relaxed);
        size_t stop = limit - next > piece ? next + piece : limit;
        if (atomic_compare_exchange_weak_explicit(&chunk->cursor, &cursor, tag | stop,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            *begin = next;
            *end = stop;
            return 1;
        }
    }
}

/// Runs pieces of loop `generation` until none is left: first of chunk `own`, then of
/// the others in turn.
static void work_on(uint64_t generation, size_t own, size_t chunks) {
    for (size_t step = 0; step < chunks; step++) {
        size_t c = (own + step) % chunks, begin, end;
        while (claim_piece(c, generation, &begin, &end)) {
            pool.body(pool.context, begin, end);
            atomic_fetch_sub_explicit(&pool.remaining, end - begin, memory_order_release);
        }
    }
}

/// Waits for a loop after generation `seen`, spinning first (if `spin`), then sleeping;
/// returns the published word of that loop.
static uint64_t wait_for_loop(uint64_t seen, int spin) {
    long long deadline = 0;
    for (unsigned spins = 0; spin; spins++) {
        uint64_t word = atomic_load_explicit(&pool.published, memory_order_acquire);
        if (generation_of(word) != seen) return word;
        cpu_relax();
        if ((spins & 255u) != 0) continue;
        long long now = now_nanoseconds();
        if (deadline == 0) deadline = now + SPIN_NANOSECONDS;
        else if (now > deadline) break;
    }
    pthread_mutex_lock(&pool.sleep_lock);
    pool.sleepers++;
    uint64_t word;
    while (generation_of(word = atomic_load_explicit(&pool.published, memory_order_acquire)) == seen)
        pthread_cond_wait(&pool.wake, &pool.sleep_lock);
    pool.sleepers--;
    pthread_mutex_unlock(&pool.sleep_lock);
    return word;
}

/// What a worker needs to know when it starts: its chunk index and the last generation
/// published before it existed (it may first run after the loop that needed it was
/// published, and must not miss that loop).
typedef struct {
    size_t index;
    uint64_t generation;
} worker_start;

static void *worker_main(void *argument) {
    worker_start start = *(worker_start *)argument;
    free(argument);
    uint64_t seen = start.generation;
    inside_pool = 1;
    int spin = 1;
    for (;;) {
        uint64_t word = wait_for_loop(seen, spin);
        seen = generation_of(word);
        size_t chunks = (size_t)(word & CHUNK_MASK);
        // A worker beyond the current thread count sleeps until it is wanted again
        // rather than spinning against the threads that are working.
        spin = start.index < chunks;
        if (spin) work_on(seen, start.index, chunks);
    }
    return NULL;
}

/// CPUs this process may run on (its affinity mask where the OS has one).
static size_t available_cpus(void) {
#if defined(__linux__) && defined(CPU_COUNT)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return (size_t)CPU_COUNT(&set);
#endif
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (size_t)online : 1;
}

static size_t clamp_threads(size_t count) {
    return count < 1 ? 1 : count > JANUS_MAX_THREADS ? JANUS_MAX_THREADS : count;
}

static void read_default_threads(void) {
    size_t count = available_cpus();
    const char *text = getenv("JANUS_THREADS");
    if (text && *text) {
        char *end;
        long requested = strtol(text, &end, 10);
        if (*end == '\0' && requested > 0) count = (size_t)requested;
    }
    atomic_store(&pool.default_threads, clamp_threads(count));
}

/// Starts workers until there are `threads - 1` of them (call_lock held).
static void start_workers(size_t threads) {
    while (pool.workers + 1 < threads) {
        worker_start *start = malloc(sizeof *start);
        if (!start) return;  // run with the workers we have
        start->index = pool.workers + 1;
        start->generation = generation_of(atomic_load_explicit(&pool.published, memory_order_relaxed));
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        int failed = pthread_create(&thread, &attributes, worker_main, start);
        pthread_attr_destroy(&attributes);
        if (failed) {
            free(start);
            return;
        }
        pool.workers++;
    }
}

size_t janus_threads_count(void) {
    pthread_once(&pool_once, read_default_threads);
    return atomic_load(&pool.default_threads);
}

void janus_threads_set_count(size_t count) {
    pthread_once(&pool_once, read_default_threads);
    pthread_mutex_lock(&pool.call_lock);
    atomic_store(&pool.default_threads, clamp_threads(count));
    pthread_mutex_unlock(&pool.call_lock);
}

void janus_parallel_for(size_t count, size_t threads, janus_range_body body, void *context) {
    if (count == 0) return;
    if (threads == 0) threads = janus_threads_count();
    size_t chunks = clamp_threads(threads < count ? threads : count);
    // Cursors hold 32-bit indices; no kernel comes near that many work items.
    if (chunks == 1 || inside_pool || count > 0xffffffffu) {
        body(context, 0, count);
        return;
    }
    pthread_mutex_lock(&pool.call_lock);
    start_workers(chunks);
    if (chunks > pool.workers + 1) chunks = pool.workers + 1;

    uint64_t generation = generation_of(atomic_load_explicit(&pool.published, memory_order_relaxed)) + 1;
    pool.body = body;
    pool.context = context;
    size_t piece = count / (chunks * PIECES_PER_CHUNK);
    atomic_store_explicit(&pool.piece, piece > 0 ? piece : 1, memory_order_relaxed);
    atomic_store_explicit(&pool.remaining, count, memory_order_relaxed);
    for (size_t c = 0; c < chunks; c++) {
        size_t begin, end;
        chunk_range(count, chunks, c, &begin, &end);
        atomic_store_explicit(&pool.chunks[c].end, end, memory_order_relaxed);
        atomic_store_explicit(&pool.chunks[c].cursor, (generation & 0xffffffffu) << 32 | begin,
                              memory_order_release);
    }
    pthread_mutex_lock(&pool.sleep_lock);
    atomic_store_explicit(&pool.published, generation << CHUNK_BITS | chunks, memory_order_release);
    if (pool.sleepers > 0) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);

    inside_pool = 1;
    work_on(generation, 0, chunks);
    inside_pool = 0;

    // Every piece is claimed; wait for the ones other threads are still running. That
    // is short unless one was descheduled mid-piece: then give the core away.
    for (unsigned spins = 0; atomic_load_explicit(&pool.remaining, memory_order_acquire) != 0; spins++) {
        if (spins < 4096) cpu_relax();
        else sched_yield();
    }
    pthread_mutex_unlock(&pool.call_lock);
}
