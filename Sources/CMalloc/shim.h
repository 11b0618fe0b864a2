// glibc's malloc tuning (mallopt), which the Glibc Swift module leaves out. Elsewhere (macOS) there is
// no malloc.h and the module is empty.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
