/* formats/tmx_read.c: being written. */
#include "util.h"
