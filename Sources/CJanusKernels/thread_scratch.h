// Private to CJanusKernels: per-thread scratch memory for the kernels, so that no
// kernel call allocates once a thread has seen its largest problem.
#ifndef JANUS_THREAD_SCRATCH_H
#define JANUS_THREAD_SCRATCH_H

#include <stddef.h>

/// Independent buffers a thread may hold at the same time.
typedef enum {
    JANUS_SCRATCH_ACTIVATIONS,  // a caller's converted copy of its input rows
    JANUS_SCRATCH_SCORES,       // attention scores of one block of positions
    JANUS_SCRATCH_ATTENTION_BLOCKS,  // a caller's per-block attention results
    JANUS_SCRATCH_SLOTS
} janus_scratch_slot;

/// At least `bytes` of 64-byte aligned memory owned by the calling thread, valid until
/// its next call for the same slot; grown (never shrunk) on demand, freed when the
/// thread exits. Aborts if memory runs out.
void *janus_thread_scratch(janus_scratch_slot slot, size_t bytes);

#endif
