#include "thread_scratch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    void *buffer[JANUS_SCRATCH_SLOTS];
    size_t capacity[JANUS_SCRATCH_SLOTS];
} scratch_set;

// A pthread key rather than a bare _Thread_local pointer: its destructor returns the
// memory of threads that exit (Swift's cooperative pool and test runners come and go).
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void free_scratch_set(void *value) {
    scratch_set *set = value;
    for (int slot = 0; slot < JANUS_SCRATCH_SLOTS; slot++) free(set->buffer[slot]);
    free(set);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_scratch_set); }

void *janus_thread_scratch(janus_scratch_slot slot, size_t bytes) {
    pthread_once(&scratch_once, make_scratch_key);
    scratch_set *set = pthread_getspecific(scratch_key);
    if (!set) {
        set = calloc(1, sizeof *set);
        if (!set || pthread_setspecific(scratch_key, set) != 0) goto out_of_memory;
    }
    if (set->capacity[slot] < bytes) {
        // Doubling keeps a thread that sees slowly growing sizes (a KV cache) from
        // reallocating every call.
        size_t capacity = set->capacity[slot] * 2 > bytes ? set->capacity[slot] * 2 : bytes;
        capacity = (capacity + 63) & ~(size_t)63;
        void *buffer = NULL;
        if (posix_memalign(&buffer, 64, capacity) != 0) goto out_of_memory;
        free(set->buffer[slot]);
        set->buffer[slot] = buffer;
        set->capacity[slot] = capacity;
    }
    return set->buffer[slot];

out_of_memory:
    fprintf(stderr, "janus: out of memory for %zu bytes of kernel scratch\n", bytes);
    abort();
}
