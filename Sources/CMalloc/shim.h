// glibc's malloc tuning (mallopt), which the Glibc Swift module leaves out.
#include <malloc.h>
