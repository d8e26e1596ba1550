/* board.h: the values of a board and of a board node (pure):
 * pureboot.boards' columns and nodes.board/dtb/boot_mode, checked as
 * sql/035-boards.sql checks them, so that the API and `pureboot board`
 * refuse a bad value with a reason before the database does. */
#ifndef PB_BOARD_H
#define PB_BOARD_H

#include "core/err.h"

/* "uboot" or "uefi": how a board node boots (a Pi's "pi" is not one);
 * *out points at the static name. */
int pb_board_boot_mode_parse(const char **out, const char *in,
    struct pb_err *e);

/* A board name: ^[a-z0-9][a-z0-9-]{0,62}$ as the table checks it. */
int pb_board_name_check(const char *in, struct pb_err *e);

/* A DTB in the store: a relative path (pb_check_relpath) ending .dtb. */
int pb_dtb_check(const char *what, const char *v, struct pb_err *e);

/* console=<v>: one command-line word of at most 64 bytes. */
int pb_console_check(const char *what, const char *v, struct pb_err *e);

/* A board's extra kernel words: command-line words with single spaces
 * between them, none that sets what the renderer writes (pureboot.*,
 * console=), 1 to 255 bytes.  NULL is none, and fine. */
int pb_cmdline_extra_check(const char *what, const char *v,
    struct pb_err *e);

/* A board's description: 1 to 200 bytes, no control byte. */
int pb_board_text_check(const char *what, const char *v, struct pb_err *e);

#endif
