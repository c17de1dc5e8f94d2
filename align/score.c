/* align/score.c: being written. */
#include "util.h"
