/*
 * TLS for Gemini: the certificate (loaded, or generated at first start)
 * and the OpenSSL server context every worker shares.
 */
#ifndef CAPSULED_TLS_H
#define CAPSULED_TLS_H

#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "config.h"

/*
 * Make sure cfg->cert_file and cfg->key_file exist.  When neither does,
 * generate an ECDSA P-256 self-signed certificate for cfg->hostnames
 * and print its SHA-256 fingerprint to stderr; made by root for a
 * configured user, the pair belongs to that user.  When only one of them
 * exists, refuse: an existing key is never replaced.  Returns 0 or -1
 * (the reason printed).
 */
int	 tls_ensure_cert(const struct config *);
/*
 * What tls_ensure_cert and loading the pair check, without writing
 * anything (--check): the pair loads and matches, or can be generated.
 * Returns 0 or -1 (the reasons logged, with the settings at fault).
 */
int	 tls_check(const struct config *);

/*
 * The certificate and key files, read through their folders opened at
 * start-up (before a chroot or a switch of user), so that a reload
 * reads them again wherever the process is.  path[] are cfg's names, for
 * messages.
 */
struct tls_files {
	const char	*path[2];	/* certificate, key */
	int		 dir[2];
	char		*name[2];	/* within dir */
	struct stat	 st[2];		/* as last seen */
};

/* Open the folders of cfg's certificate and key: 0, or -1 (logged). */
int	 tls_files_open(const struct config *, struct tls_files *);
void	 tls_files_close(struct tls_files *);
/*
 * Whether either file changed since the last call (or since opened);
 * false when one is missing, as while it is being replaced.
 */
bool	 tls_files_changed(struct tls_files *);

/*
 * A server context with the certificate (chain) and key of f.  Every
 * context shares the session ticket keys, so tickets issued before a
 * reload still resume.  Returns NULL (the reason logged) when the
 * certificate or key cannot be loaded.
 */
SSL_CTX	*tls_ctx_new(const struct tls_files *);

/* A session ticket key: its name in the ticket, and what seals it. */
struct tls_ticket_key {
	unsigned char	 name[16];
	unsigned char	 aes[32];	/* AES-256-CBC */
	unsigned char	 hmac[32];	/* HMAC-SHA256 */
};

/* The secret of ticket_key_file, in bytes. */
#define TLS_TICKET_SECRET_MIN	32
#define TLS_TICKET_SECRET_MAX	4096

/*
 * The session ticket keys, before the first context: from the secret of
 * cfg->ticket_key_file when set (the keys of the ticket_rotation period
 * the clock is in and of the one before, as every replica with the same
 * file derives them, and the next one's, which opens the tickets of a
 * replica whose clock is ahead), else random.  Returns -1 (the reason logged with
 * the setting) when the file cannot be read or holds too short a secret.
 */
int	 tls_tickets_setup(const struct config *);
/* What tls_tickets_setup checks of the file, for --check. */
int	 tls_ticket_check(const struct config *);
/*
 * The key of period number period (seconds since the epoch divided by
 * ticket_rotation) from a secret of len bytes: HKDF-SHA256 with a fixed
 * salt and the period as its info.  -1 when OpenSSL fails.
 */
int	 tls_ticket_derive(const unsigned char *secret, size_t len,
	    int64_t period, struct tls_ticket_key *);
/*
 * At a period's end: with a secret, the keys of the new period and of
 * those around it; else a new random key, the current one becoming the
 * previous one, which still opens the tickets it sealed until the next
 * rotation.  Safe while workers handshake.  Returns -1 when no key could
 * be made (the keys are then unchanged).
 */
int	 tls_rotate_ticket_keys(void);

/* The SHA-256 fingerprint of a certificate, "AB:CD:...", in buf. */
void	 tls_fingerprint(X509 *, char *buf, size_t size);

#endif
