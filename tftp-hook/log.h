/* log.h: the hook's log line (standard error, one line). */
#ifndef PB_HOOK_LOG_H
#define PB_HOOK_LOG_H

void hook_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
