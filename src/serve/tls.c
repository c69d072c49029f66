/*
 * The TLS side of the Gemini listener: certificate loading, first-start
 * generation of a self-signed ECDSA certificate, and the server context.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "serve-int.h"

#define CERT_YEARS	20

/* TLS 1.2: forward secrecy and AEAD only.  TLS 1.3 suites are all AEAD. */
static const char tls12_ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384";

/* Log the reasons on OpenSSL's error queue after msg, and clear it. */
static void
log_ssl(const char *msg)
{
	unsigned long	 e;
	char		 buf[256];

	e = ERR_get_error();
	if (e == 0) {
		log_warnx("%s", msg);
		return;
	}
	ERR_error_string_n(e, buf, sizeof(buf));
	log_warnx("%s: %s", msg, buf);
	ERR_clear_error();
}

void
tls_fingerprint(X509 *x, char *buf, size_t size)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;
	size_t		 off = 0;

	buf[0] = '\0';
	if (!X509_digest(x, EVP_sha256(), md, &n))
		return;
	for (i = 0; i < n && off + 3 < size; i++)
		off += snprintf(buf + off, size - off, "%s%02X",
		    i ? ":" : "", md[i]);
}

/* Add one subjectAltName entry (DNS name or IP address) to names. */
static bool
san_add(GENERAL_NAMES *names, const char *host)
{
	GENERAL_NAME		*gn;
	ASN1_OCTET_STRING	*ip;
	unsigned char		 addr[16];
	int			 alen = 0;

	if (inet_pton(AF_INET, host, addr) == 1)
		alen = 4;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		alen = 16;
	if ((gn = GENERAL_NAME_new()) == NULL)
		return false;
	if (alen > 0) {
		if ((ip = ASN1_OCTET_STRING_new()) == NULL ||
		    !ASN1_OCTET_STRING_set(ip, addr, alen)) {
			ASN1_OCTET_STRING_free(ip);
			GENERAL_NAME_free(gn);
			return false;
		}
		GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
	} else {
		ASN1_IA5STRING *s = ASN1_IA5STRING_new();

		if (s == NULL || !ASN1_STRING_set(s, host, -1)) {
			ASN1_IA5STRING_free(s);
			GENERAL_NAME_free(gn);
			return false;
		}
		GENERAL_NAME_set0_value(gn, GEN_DNS, s);
	}
	if (!sk_GENERAL_NAME_push(names, gn)) {
		GENERAL_NAME_free(gn);
		return false;
	}
	return true;
}

/*
 * The subjectAltName extension: every configured host name, and the
 * loopback addresses when "localhost" is one of them, so that a quick
 * start on 127.0.0.1 or ::1 matches too.
 */
static bool
add_san(X509 *x, const struct config *cfg)
{
	GENERAL_NAMES	*names;
	bool		 local = false, ok = true;
	size_t		 i;

	if ((names = GENERAL_NAMES_new()) == NULL)
		return false;
	for (i = 0; i < cfg->nhostnames && ok; i++) {
		ok = san_add(names, cfg->hostnames[i]);
		if (strcasecmp(cfg->hostnames[i], "localhost") == 0)
			local = true;
	}
	if (ok && local)
		ok = san_add(names, "127.0.0.1") && san_add(names, "::1");
	if (ok)
		ok = X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0,
		    X509V3_ADD_DEFAULT) == 1;
	GENERAL_NAMES_free(names);
	return ok;
}

/* A self-signed certificate for key, valid CERT_YEARS from now. */
static X509 *
make_cert(const struct config *cfg, EVP_PKEY *key)
{
	X509		*x;
	X509_NAME	*name;
	unsigned char	 serial[16];
	BIGNUM		*bn = NULL;
	const char	*cn = cfg->nhostnames > 0 ? cfg->hostnames[0] :
			    "localhost";
	bool		 ok;

	if ((x = X509_new()) == NULL)
		return NULL;
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto fail;
	serial[0] &= 0x7f;	/* a positive serial number */
	ok = (bn = BN_bin2bn(serial, sizeof(serial), NULL)) != NULL &&
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL &&
	    X509_set_version(x, 2) &&
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) != NULL &&
	    X509_time_adj_ex(X509_getm_notAfter(x), CERT_YEARS * 365 + 5,
		0, NULL) != NULL &&
	    X509_set_pubkey(x, key);
	BN_free(bn);
	if (!ok)
		goto fail;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name) || !add_san(x, cfg) ||
	    !X509_sign(x, key, EVP_sha256()))
		goto fail;
	return x;
fail:
	X509_free(x);
	return NULL;
}

/*
 * Create path (which must not exist) with mode, owned by pw when not
 * NULL, and open it as a FILE.
 */
static FILE *
create_excl(const char *path, mode_t mode, const struct passwd *pw)
{
	FILE	*f;
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		log_warn("%s", path);
		return NULL;
	}
	if (pw != NULL && fchown(fd, pw->pw_uid, pw->pw_gid) == -1) {
		log_warn("%s", path);
		close(fd);
		unlink(path);
		return NULL;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		log_warn("%s", path);
		close(fd);
		unlink(path);
	}
	return f;
}

/*
 * Write key (mode 0600) and cert (0644), owned by pw when not NULL; on
 * failure remove both.
 */
static int
write_pair(const struct config *cfg, EVP_PKEY *key, X509 *x,
    const struct passwd *pw)
{
	FILE	*kf, *cf;
	bool	 ok;

	if ((kf = create_excl(cfg->key_file, 0600, pw)) == NULL)
		return -1;
	ok = PEM_write_PrivateKey(kf, key, NULL, NULL, 0, NULL, NULL) == 1;
	ok = fclose(kf) == 0 && ok;
	if (!ok) {
		log_warnx("%s: cannot write the key", cfg->key_file);
		unlink(cfg->key_file);
		return -1;
	}
	if ((cf = create_excl(cfg->cert_file, 0644, pw)) == NULL) {
		unlink(cfg->key_file);
		return -1;
	}
	ok = PEM_write_X509(cf, x) == 1;
	ok = fclose(cf) == 0 && ok;
	if (!ok) {
		log_warnx("%s: cannot write the certificate", cfg->cert_file);
		unlink(cfg->cert_file);
		unlink(cfg->key_file);
		return -1;
	}
	return 0;
}

/*
 * Whether the pair can be generated: the certificate folder exists or
 * can be made (its parent exists), and the files' folders exist once it
 * does.  The reason is logged, with the setting at fault.
 */
static bool
can_generate(const struct config *cfg)
{
	const char	*key[2] = { "cert", "key" };
	const char	*path[2] = { cfg->cert_file, cfg->key_file };
	char		 where[CONFIG_WHERE_MAX], *parent;
	struct stat	 st;
	bool		 ok = true;
	int		 i;

	if (stat(cfg->certs_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		log_warnx("%s: %s: not a folder", config_where(cfg, "certs",
		    where, sizeof(where)), cfg->certs_dir);
		return false;
	}
	parent = file_dirname(cfg->certs_dir);
	if (stat(cfg->certs_dir, &st) == -1 && stat(parent, &st) == -1) {
		log_warnx("%s: %s cannot be made: its folder %s does not "
		    "exist", config_where(cfg, "certs", where, sizeof(where)),
		    cfg->certs_dir, parent);
		ok = false;
	}
	free(parent);
	for (i = 0; i < 2 && ok; i++) {
		parent = file_dirname(path[i]);
		/* The certificate folder is made first. */
		if (strcmp(parent, cfg->certs_dir) != 0 &&
		    stat(parent, &st) == -1) {
			log_warnx("%s: %s cannot be written: its folder %s "
			    "does not exist", config_where(cfg, key[i], where,
			    sizeof(where)), path[i], parent);
			ok = false;
		}
		free(parent);
	}
	return ok;
}

static int
generate(const struct config *cfg)
{
	EVP_PKEY	*key;
	X509		*x = NULL;
	struct passwd	*pw = NULL;
	char		 fp[EVP_MAX_MD_SIZE * 3 + 1];
	int		 rc = -1;

	/*
	 * Root making the pair for the user it will serve as: the pair is
	 * that user's, so that a reload can read it again.
	 */
	if (geteuid() == 0 && cfg->user != NULL &&
	    (pw = getpwnam(cfg->user)) == NULL) {
		log_warnx("user %s: no such user", cfg->user);
		return -1;
	}
	if (!can_generate(cfg))
		return -1;
	if (mkdir(cfg->certs_dir, 0755) == -1 && errno != EEXIST) {
		log_warn("%s", cfg->certs_dir);
		return -1;
	}
	if ((key = EVP_EC_gen("P-256")) == NULL ||
	    (x = make_cert(cfg, key)) == NULL) {
		log_ssl("cannot generate a certificate");
		goto out;
	}
	if (write_pair(cfg, key, x, pw) == -1)
		goto out;
	tls_fingerprint(x, fp, sizeof(fp));
	fprintf(stderr, "capsuled: generated a self-signed certificate in "
	    "%s (key %s), valid %d years\n"
	    "capsuled: SHA-256 fingerprint %s\n",
	    cfg->cert_file, cfg->key_file, CERT_YEARS, fp);
	rc = 0;
out:
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/*
 * Which of the pair exist: 2 both, 0 neither, -1 only one (refused,
 * the reason logged with the setting of the missing one).
 */
static int
pair_state(const struct config *cfg)
{
	struct stat	 st;
	char		 where[CONFIG_WHERE_MAX];
	const char	*missing;
	bool		 have_cert, have_key;

	have_cert = stat(cfg->cert_file, &st) == 0;
	have_key = stat(cfg->key_file, &st) == 0;
	if (have_cert && have_key)
		return 2;
	if (!have_cert && !have_key)
		return 0;
	/* The missing one's setting, or the folder it defaults to. */
	missing = have_cert ? "key" : "cert";
	if (!config_given(cfg, missing))
		missing = "certs";
	log_warnx("%s: %s exists but %s does not: refusing to start "
	    "(restore the missing file, or remove both to generate a new "
	    "certificate, which every client that pinned the old one will "
	    "see as an attack)", config_where(cfg, missing, where,
	    sizeof(where)), have_cert ? cfg->cert_file : cfg->key_file,
	    have_cert ? cfg->key_file : cfg->cert_file);
	return -1;
}

int
tls_ensure_cert(const struct config *cfg)
{
	switch (pair_state(cfg)) {
	case 2:
		return 0;
	case 0:
		return generate(cfg);
	default:
		return -1;
	}
}

int
tls_check(const struct config *cfg)
{
	struct tls_pair	 p;
	SSL_CTX		*ctx;

	switch (pair_state(cfg)) {
	case 0:
		return can_generate(cfg) ? 0 : -1;
	case 2:
		break;
	default:
		return -1;
	}
	tls_pair_read(&p, cfg->cert_file, cfg->key_file);
	ctx = tls_ctx_new(&p);
	tls_pair_clear(&p);
	SSL_CTX_free(ctx);
	return ctx != NULL ? 0 : -1;
}

/* Read f->path into f->pem, or say why not in f->err. */
static void
read_file(struct tls_file *f)
{
	int	 fd;

	if ((fd = file_open(AT_FDCWD, f->path)) == -1 ||
	    fstat(fd, &f->st) == -1)
		f->err = errno;
	else if (!S_ISREG(f->st.st_mode) || f->st.st_size > TLS_PEM_MAX)
		f->err = TLS_NOT_PEM;
	else {
		/* Room for the end too: the key is never moved by a realloc. */
		buf_reserve(&f->pem, (size_t)f->st.st_size + 1);
		if (file_read_fd(fd, &f->pem, TLS_PEM_MAX, NULL) == -1)
			f->err = errno;
	}
	if (fd != -1)
		close(fd);
}

void
tls_pair_read(struct tls_pair *p, const char *cert, const char *key)
{
	int	 i;

	memset(p, 0, sizeof(*p));
	p->file[0].path = cert;
	p->file[1].path = key;
	for (i = 0; i < 2; i++)
		read_file(&p->file[i]);
}

void
tls_pair_clear(struct tls_pair *p)
{
	struct buf	*b;
	int		 i;

	for (i = 0; i < 2; i++) {
		b = &p->file[i].pem;
		if (b->data != NULL)
			OPENSSL_cleanse(b->data, b->cap);
		buf_free(b);
	}
}

bool
tls_pair_changed(const struct tls_pair *p, struct stat seen[2])
{
	const struct stat	*st;
	bool			 changed = false;
	int			 i;

	for (i = 0; i < 2; i++)
		if (p->file[i].err != 0)
			return false;
	for (i = 0; i < 2; i++) {
		st = &p->file[i].st;
		if (st->st_dev != seen[i].st_dev ||
		    st->st_ino != seen[i].st_ino ||
		    st->st_size != seen[i].st_size ||
		    st->st_mtim.tv_sec != seen[i].st_mtim.tv_sec ||
		    st->st_mtim.tv_nsec != seen[i].st_mtim.tv_nsec)
			changed = true;
		seen[i] = *st;
	}
	return changed;
}

/*
 * File i of p in a memory BIO, for PEM reading, or NULL (logged).  The
 * key is checked for sane permissions on the way (a warning when
 * others can read it).
 */
static BIO *
pem_bio(const struct tls_pair *p, int i)
{
	const struct tls_file	*f = &p->file[i];
	BIO			*b;

	if (f->err == TLS_NOT_PEM) {
		log_warnx("%s: not a PEM file of at most %d bytes", f->path,
		    TLS_PEM_MAX);
		return NULL;
	}
	if (f->err != 0) {
		log_warnx("%s: %s", f->path, strerror(f->err));
		return NULL;
	}
	if (i == 1 && (f->st.st_mode & (S_IRWXG | S_IRWXO)))
		log_warnx("%s: the private key is readable by group or "
		    "others (mode %03o); chmod 600 it", f->path,
		    (unsigned)(f->st.st_mode & 0777));
	/* A read-only view of the bytes: nothing is copied. */
	if ((b = BIO_new_mem_buf(f->pem.data, (int)f->pem.len)) == NULL)
		log_ssl(f->path);
	return b;
}

/* No passphrase prompt: a daemon's key is not encrypted. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

/* The certificate, then the rest of the chain, as PEM. */
static bool
use_chain(SSL_CTX *ctx, BIO *b)
{
	X509		*x;
	unsigned long	 e;

	if ((x = PEM_read_bio_X509_AUX(b, NULL, no_passphrase, NULL)) ==
	    NULL)
		return false;
	if (SSL_CTX_use_certificate(ctx, x) != 1) {
		X509_free(x);
		return false;
	}
	X509_free(x);
	while ((x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL)) != NULL)
		if (!SSL_CTX_add0_chain_cert(ctx, x)) {
			X509_free(x);
			return false;
		}
	/* The end of the file is where the chain ends. */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
	    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		return false;
	ERR_clear_error();
	return true;
}

static bool
use_key(SSL_CTX *ctx, BIO *b)
{
	EVP_PKEY	*key;
	bool		 ok;

	if ((key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL)) ==
	    NULL)
		return false;
	ok = SSL_CTX_use_PrivateKey(ctx, key) == 1;
	EVP_PKEY_free(key);
	return ok;
}

/* Load file i of p into ctx with use; the reason logged on failure. */
static bool
load(SSL_CTX *ctx, const struct tls_pair *p, int i,
    bool (*use)(SSL_CTX *, BIO *))
{
	BIO	*b;
	bool	 ok;

	if ((b = pem_bio(p, i)) == NULL)
		return false;
	if (!(ok = use(ctx, b)))
		log_ssl(p->file[i].path);
	BIO_free(b);
	return ok;
}

/*
 * Session ticket keys, shared by every context (so a reload keeps them)
 * and every worker: the current key seals new tickets, the previous one
 * still opens the tickets sealed before the last rotation.  With
 * ticket_key_file both are derived from its secret and the period of
 * ticket_rotation seconds the clock is in, so that every replica with
 * the same file holds the same keys at the same time, with nothing said
 * between them; without it they are random, this process's own.
 */
static struct {
	pthread_rwlock_t	 lock;
	struct tls_ticket_key	 cur, prev;
	/*
	 * With a secret, the next period's key opens tickets too: those
	 * of a replica whose clock is a little ahead, which changed keys
	 * first.
	 */
	struct tls_ticket_key	 next;
	unsigned char		 secret[TLS_TICKET_SECRET_MAX];
	size_t			 secret_len;	/* 0: random keys */
	int			 rotation;	/* s, with a secret */
	int64_t			 period;	/* of cur, with a secret */
} tickets = { .lock = PTHREAD_RWLOCK_INITIALIZER };
static pthread_once_t	 tickets_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER	*ticket_cipher;

static bool
new_ticket_key(struct tls_ticket_key *k)
{
	return RAND_bytes((unsigned char *)k, sizeof(*k)) == 1;
}

/* Random keys for both: no ticket of an earlier run opens. */
static void
tickets_init(void)
{
	if (!new_ticket_key(&tickets.cur) || !new_ticket_key(&tickets.prev))
		return;
	ticket_cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
}

int
tls_ticket_derive(const unsigned char *secret, size_t len, int64_t period,
    struct tls_ticket_key *k)
{
	static const char	 salt[] = "capsuled session ticket keys";
	unsigned char		 info[8 + 7] = "period ";
	EVP_KDF			*kdf;
	EVP_KDF_CTX		*kctx = NULL;
	OSSL_PARAM		 params[5];
	int			 i, ok = 0;

	/* The period number, big-endian, after "period ". */
	for (i = 0; i < 8; i++)
		info[7 + i] = (unsigned char)((uint64_t)period >> (56 - 8 * i));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)secret, len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)salt, sizeof(salt) - 1);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
	    info, sizeof(info));
	params[4] = OSSL_PARAM_construct_end();
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) != NULL &&
	    (kctx = EVP_KDF_CTX_new(kdf)) != NULL)
		ok = EVP_KDF_derive(kctx, (unsigned char *)k, sizeof(*k),
		    params);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok == 1 ? 0 : -1;
}

/*
 * The secret of ticket_key_file into buf (TLS_TICKET_SECRET_MAX bytes):
 * its bytes without a final newline, at least TLS_TICKET_SECRET_MIN.
 * The reason is logged with the setting; -1.
 */
static int
read_secret(const struct config *cfg, unsigned char *buf, size_t *lenp)
{
	char		 where[CONFIG_WHERE_MAX];
	struct stat	 st;
	size_t		 len = 0;
	int		 fd;

	config_where(cfg, "ticket_key_file", where, sizeof(where));
	if ((fd = file_open(AT_FDCWD, cfg->ticket_key_file)) == -1 ||
	    fstat(fd, &st) == -1) {
		log_warnx("%s: %s: %s", where, cfg->ticket_key_file,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		log_warnx("%s: %s is readable by group or others (mode %03o); "
		    "chmod 600 it", where, cfg->ticket_key_file,
		    (unsigned)(st.st_mode & 0777));
	if (!S_ISREG(st.st_mode) || st.st_size > TLS_TICKET_SECRET_MAX ||
	    file_read_to(AT_FDCWD, cfg->ticket_key_file, (char *)buf,
	    TLS_TICKET_SECRET_MAX, &len) == -1) {
		log_warnx("%s: %s: not a file of at most %d bytes", where,
		    cfg->ticket_key_file, TLS_TICKET_SECRET_MAX);
		return -1;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len < TLS_TICKET_SECRET_MIN) {
		log_warnx("%s: %s holds %zu bytes: a secret of at least %d is "
		    "needed (openssl rand -base64 48 > FILE)", where,
		    cfg->ticket_key_file, len, TLS_TICKET_SECRET_MIN);
		OPENSSL_cleanse(buf, TLS_TICKET_SECRET_MAX);
		return -1;
	}
	*lenp = len;
	return 0;
}

int
tls_ticket_check(const struct config *cfg)
{
	unsigned char	 buf[TLS_TICKET_SECRET_MAX];
	size_t		 len;
	int		 rc;

	if (cfg->ticket_key_file == NULL)
		return 0;
	rc = read_secret(cfg, buf, &len);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

/* The keys of the period the clock is in, of the one before and after. */
static int
derive_now(void)
{
	struct tls_ticket_key	 k[3];
	struct timespec		 now;
	int64_t			 period;
	int			 i, rc = 0;

	/*
	 * The clock the next rotation is armed by (time(3) may read a
	 * coarser one, a tick behind it just past a boundary).
	 */
	clock_gettime(CLOCK_REALTIME, &now);
	period = (int64_t)now.tv_sec / tickets.rotation;
	for (i = 0; i < 3 && rc == 0; i++)
		rc = tls_ticket_derive(tickets.secret, tickets.secret_len,
		    period - 1 + i, &k[i]);
	if (rc == 0) {
		pthread_rwlock_wrlock(&tickets.lock);
		tickets.prev = k[0];
		tickets.cur = k[1];
		tickets.next = k[2];
		tickets.period = period;
		pthread_rwlock_unlock(&tickets.lock);
	}
	OPENSSL_cleanse(k, sizeof(k));
	return rc;
}

int
tls_tickets_setup(const struct config *cfg)
{
	pthread_once(&tickets_once, tickets_init);
	if (cfg->ticket_key_file == NULL)
		return 0;
	if (read_secret(cfg, tickets.secret, &tickets.secret_len) == -1)
		return -1;
	tickets.rotation = cfg->ticket_rotation;
	if (derive_now() == -1) {
		log_ssl("session ticket keys");
		return -1;
	}
	log_info("session ticket keys from %s, a new one every %d s",
	    cfg->ticket_key_file, cfg->ticket_rotation);
	return 0;
}

long long
tls_ticket_keys_end(void)
{
	long long	 end = 0;

	pthread_rwlock_rdlock(&tickets.lock);
	if (tickets.secret_len > 0)
		end = (tickets.period + 1) * tickets.rotation * 1000000LL;
	pthread_rwlock_unlock(&tickets.lock);
	return end;
}

int
tls_rotate_ticket_keys(void)
{
	struct tls_ticket_key	 k;

	if (tickets.secret_len > 0)
		return derive_now();
	if (!new_ticket_key(&k))
		return -1;
	pthread_rwlock_wrlock(&tickets.lock);
	tickets.prev = tickets.cur;
	tickets.cur = k;
	pthread_rwlock_unlock(&tickets.lock);
	OPENSSL_cleanse(&k, sizeof(k));
	return 0;
}

/*
 * OpenSSL's ticket callback: seal with the current key (enc), or open
 * with the key the ticket names: 1 with the current key, 2 with the
 * previous or the next (the client then gets a ticket sealed with the
 * current), 0
 * for a key rotated out (a full handshake follows).  TLS 1.3 always
 * gets 2, so that a resumed connection leaves the client a new ticket
 * as it does without a callback.
 */
static int
ticket_key(SSL *ssl, unsigned char name[16], unsigned char *iv,
    EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	struct tls_ticket_key	 k;
	OSSL_PARAM		 params[3];
	int			 rc = 1;

	pthread_rwlock_rdlock(&tickets.lock);
	if (enc || memcmp(name, tickets.cur.name, sizeof(k.name)) == 0)
		k = tickets.cur;
	else if (memcmp(name, tickets.prev.name, sizeof(k.name)) == 0) {
		k = tickets.prev;
		rc = 2;
	} else if (tickets.secret_len > 0 &&
	    memcmp(name, tickets.next.name, sizeof(k.name)) == 0) {
		k = tickets.next;
		rc = 2;
	} else
		rc = 0;
	pthread_rwlock_unlock(&tickets.lock);
	if (rc == 1 && !enc && SSL_version(ssl) >= TLS1_3_VERSION)
		rc = 2;
	if (rc == 0)
		return 0;
	if (enc) {
		memcpy(name, k.name, sizeof(k.name));
		if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(ticket_cipher)) !=
		    1)
			rc = -1;
	}
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
	    k.hmac, sizeof(k.hmac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[2] = OSSL_PARAM_construct_end();
	if (rc > 0 && (!EVP_CipherInit_ex(cctx, ticket_cipher, NULL, k.aes,
	    iv, enc) || !EVP_MAC_CTX_set_params(hctx, params)))
		rc = -1;
	OPENSSL_cleanse(&k, sizeof(k));
	return rc;
}

static bool
configure(SSL_CTX *ctx)
{
	static const unsigned char sid_ctx[] = "capsuled";

	/*
	 * A TLS 1.3 client that offers resumption without a new key
	 * exchange (psk_ke) gets it: the rotation of the session ticket
	 * keys bounds what it exposes.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_ALLOW_NO_DHE_KEX);
	/* Read what the socket has in one call, not a record at a time. */
	SSL_CTX_set_read_ahead(ctx, 1);
	/*
	 * Stateless tickets only: no server-side cache, so workers never
	 * contend on its lock, and all of them accept every ticket because
	 * they share the ticket keys.  One TLS 1.3 ticket per connection
	 * is enough for a client that reconnects.
	 */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 1);
	pthread_once(&tickets_once, tickets_init);
	return ticket_cipher != NULL &&
	    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key) &&
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) &&
	    SSL_CTX_set_cipher_list(ctx, tls12_ciphers) &&
	    SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") &&
	    SSL_CTX_set_session_id_context(ctx, sid_ctx,
		sizeof(sid_ctx) - 1);
}

SSL_CTX *
tls_ctx_new(const struct tls_pair *p)
{
	SSL_CTX	*ctx;
	X509	*x;
	char	 fp[EVP_MAX_MD_SIZE * 3 + 1];

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		log_ssl("SSL_CTX_new");
		return NULL;
	}
	if (!configure(ctx)) {
		log_ssl("TLS settings");
		goto fail;
	}
	if (!load(ctx, p, 0, use_chain) || !load(ctx, p, 1, use_key))
		goto fail;
	if (SSL_CTX_check_private_key(ctx) != 1) {
		log_ssl("the key does not match the certificate");
		goto fail;
	}
	if ((x = SSL_CTX_get0_certificate(ctx)) != NULL) {
		tls_fingerprint(x, fp, sizeof(fp));
		log_info("certificate %s, SHA-256 %s", p->file[0].path, fp);
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}
