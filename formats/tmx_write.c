/* formats/tmx_write.c: being written. */
#include "util.h"
