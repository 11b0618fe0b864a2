// jemalloc as feedwatch's allocator: linking this target makes libjemalloc serve every malloc and free of the
// process, with the settings in `malloc_conf` (jemalloc.c). Nothing to call from Swift.
#ifndef FEEDWATCH_CJEMALLOC_H
#define FEEDWATCH_CJEMALLOC_H

#if defined(__linux__)
/// jemalloc's settings, read when it starts (before `main`); MALLOC_CONF in the environment overrides them.
extern const char *malloc_conf;
#endif

#endif
