/* align/dp.c: being written. */
#include "util.h"
