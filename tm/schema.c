/* tm/schema.c: being written. */
#include "util.h"
