/*
 * TLS for Gemini: the certificate (loaded, or generated at first start)
 * and the OpenSSL server context every worker shares.
 */
#ifndef CAPSULED_TLS_H
#define CAPSULED_TLS_H

#include <openssl/ssl.h>

#include "config.h"

/*
 * Make sure cfg->cert_file and cfg->key_file exist.  When neither does,
 * generate an ECDSA P-256 self-signed certificate for cfg->hostnames
 * and print its SHA-256 fingerprint to stderr.  When only one of them
 * exists, refuse: an existing key is never replaced.  Returns 0 or -1
 * (the reason printed).
 */
int	 tls_ensure_cert(const struct config *);

/*
 * A server context with the certificate and key of cfg.  Every context
 * shares the session ticket keys, so tickets issued before a reload
 * still resume.  Returns NULL (the reason logged) when the certificate
 * or key cannot be loaded.
 */
SSL_CTX	*tls_ctx_new(const struct config *);

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
