/* fz_agent.h: the agent's check of a format=env answer, pb_env_check
 * in initramfs/agent/lib.sh, read from that file itself (its pb_re_*
 * variables and the key table of its case statement), so the harnesses
 * test what the Pi really runs.  The file is $FUZZ_AGENT_LIB, else
 * initramfs/agent/lib.sh below the current directory. */
#ifndef PB_FZ_AGENT_H
#define PB_FZ_AGENT_H

/* Every line of text is PB_KEY='value' with printable ASCII and none
 * of ' " \ $ ` in the value, and the text ends in a newline (no
 * injection).  With strict, each value also passes the agent's rule
 * for its key, and no key is unknown to the agent but PB_SCRIPT_*
 * (which the agent ignores; the script reaches it otherwise). */
void fz_check_env(const char *text, int strict);

#endif
