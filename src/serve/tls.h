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

#include "core/core.h"
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

/* The largest certificate chain or key file read. */
#define TLS_PEM_MAX	(1024 * 1024)
/* tls_file.err: not a regular file of at most TLS_PEM_MAX bytes. */
#define TLS_NOT_PEM	(-1)

/*
 * One file of a certificate pair as read: its bytes, what fstat said of
 * it (to see a renewal, and to leave it out of every snapshot), or why
 * it could not be read.
 */
struct tls_file {
	const char	*path;		/* for messages */
	int		 err;		/* 0, an errno, or TLS_NOT_PEM */
	struct stat	 st;
	struct buf	 pem;
};

/* A certificate (with its chain) and its key. */
struct tls_pair {
	struct tls_file	 file[2];	/* certificate, key */
};

/*
 * Read the certificate and key files by their paths (which p keeps):
 * what the keeper process does for the server, and --check.  Each
 * file's failure is in its err.
 */
void	 tls_pair_read(struct tls_pair *, const char *cert,
	    const char *key);
/* Wipe the bytes of the pair and free them. */
void	 tls_pair_clear(struct tls_pair *);
/*
 * Whether both files were read and either differs from seen[] (the
 * files as last seen), which then becomes what p says of them.  A
 * missing file, as while it is being replaced, is no change.
 */
bool	 tls_pair_changed(const struct tls_pair *, struct stat seen[2]);

/*
 * A server context with the certificate (chain) and key of p.  Every
 * context shares the session ticket keys, so tickets issued before a
 * reload still resume.  Returns NULL (the reason logged) when the
 * certificate or key cannot be loaded.
 */
SSL_CTX	*tls_ctx_new(const struct tls_pair *);

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
/*
 * With a secret, when the period of the current keys ends (microseconds
 * since the epoch, CLOCK_REALTIME), the time of the next rotation; else 0.
 */
long long tls_ticket_keys_end(void);

/* The SHA-256 fingerprint of a certificate, "AB:CD:...", in buf. */
void	 tls_fingerprint(X509 *, char *buf, size_t size);

#endif
