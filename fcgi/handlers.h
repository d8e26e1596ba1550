/* handlers.h: one function per endpoint, each in its own h_*.c. */
#ifndef PB_HANDLERS_H
#define PB_HANDLERS_H

#include "req.h"

pb_handler h_health;

#endif
