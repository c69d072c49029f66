/*
 * TLS for Gemini: the certificate (loaded, or generated at first start)
 * and the OpenSSL server context every worker shares.
 */
#ifndef CAPSULED_TLS_H
#define CAPSULED_TLS_H

#include <sys/stat.h>

#include <stdbool.h>

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

/*
 * A new session ticket key; the current one becomes the previous one,
 * which still opens the tickets it sealed until the next rotation.
 * Safe while workers handshake.  Returns -1 when no random key could
 * be made (the keys are then unchanged).
 */
int	 tls_rotate_ticket_keys(void);

/* The SHA-256 fingerprint of a certificate, "AB:CD:...", in buf. */
void	 tls_fingerprint(X509 *, char *buf, size_t size);

#endif
