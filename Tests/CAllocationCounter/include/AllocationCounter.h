#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// Counts heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc,
/// memalign) made by the calling thread between start and stop. The test binary's
/// definitions of these functions interpose glibc's and forward to it.
void allocation_counter_start(void);
long allocation_counter_stop(void);
/// 0 in sanitizer builds, whose runtime owns malloc.
int allocation_counter_available(void);

#endif
