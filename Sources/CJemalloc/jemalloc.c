// feedwatch's allocator settings. jemalloc reads `malloc_conf` from the program on its first allocation;
// MALLOC_CONF in the environment, if set, overrides them.
//
// Why jemalloc: a cold cycle allocates and frees millions of small blocks (items, analyses, their JSON) on
// the threads that parse and analyse, and frees many of them on others. With glibc's malloc, malloc, free
// and their arena locks took a tenth of a 1,000-feed cold cycle's CPU samples; with jemalloc the cycle used
// 8 to 16% less CPU and ran 7 to 12% faster, at the same peak RSS (medians of 4 to 5 alternating rounds;
// Benchmarks/README, "Allocator").
//
// - narenas:1           one arena (jemalloc's default is four per core): with two, a cycle's peak RSS was 6 MB
//                       higher and it ran no faster.
// - tcache_max:4096     thread caches keep blocks up to 4 KB (not 32 KB): bigger ones go back to the arena.
// - dirty_decay_ms:300  freed pages go back to the system after 0.3 s instead of 10 s, so a cycle's peak is
//                       not the sum of its batches.
// - muzzy_decay_ms:0    no second, lazily returned stage (the default of Debian's jemalloc; stated here so that
//                       another build's default cannot change it).
// - background_thread   a thread of jemalloc's returns the pages on time while the daemon sleeps between
//                       cycles, when nothing allocates.
//
// jemalloc also reads /proc/sys/vm/overcommit_memory when it starts: the systemd unit must not hide /proc/sys
// (ProcSubset=pid), or it returns pages by remapping them, which splits the process's mappings.
#if defined(__linux__)
#include "CJemalloc.h"

const char *malloc_conf = "narenas:1,tcache_max:4096,dirty_decay_ms:300,muzzy_decay_ms:0,background_thread:true";
#endif
