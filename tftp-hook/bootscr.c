/* bootscr.c: conf/u-boot/boot.cmd as the hook serves it in
 * boot.scr.uimg (boardplan.c wraps it in U-Boot's script header).  The
 * text is compiled in (tftp-hook/build.mk makes boot_cmd.inc from the
 * file), so that the hook needs no file of its own at run time and no
 * mkimage. */
#include "plan.h"

const char hook_boot_cmd[] =
#include "boot_cmd.inc"
    ;
