/* sshkey.h: an ed25519 key pair as OpenSSH writes it (sshkey.c; pure):
 * the node's ssh host key, made by the hook with libsodium. */
#ifndef PB_HOOK_SSHKEY_H
#define PB_HOOK_SSHKEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Room for either text: the private key is about 400 bytes. */
#define SSHKEY_TEXT_MAX 1024

/* The private key file ("-----BEGIN OPENSSH PRIVATE KEY-----",
 * unencrypted) and the .pub line ("ssh-ed25519 AAAA... comment\n") of
 * pk (32 bytes) and sk (libsodium's 64: seed then pk).  checkint is
 * the format's random check word; comment is 1-80 of [A-Za-z0-9@._-].
 * Each text is NUL-terminated; -1 with the reason when a buffer is too
 * small or the comment is refused. */
int sshkey_ed25519_text(const unsigned char pk[32], const unsigned char sk[64],
    uint32_t checkint, const char *comment, char *priv, size_t privsz,
    char *pub, size_t pubsz, struct pb_err *e);

#endif
