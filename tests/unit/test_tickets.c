/*
 * Session ticket keys from a shared secret (src/serve/tls.c): the HKDF
 * derivation is the one documented (a known answer from `openssl kdf`),
 * the same secret and period give the same key on every replica, and
 * another period or secret gives another key.
 */
#include <string.h>

#include "serve/serve-int.h"
#include "harness.h"

static const unsigned char	 secret[] = "0123456789abcdef0123456789abcdef";

static void
test_known_answer(void)
{
	/*
	 * openssl kdf -keylen 80 -kdfopt digest:SHA256
	 *   -kdfopt key:0123456789abcdef0123456789abcdef
	 *   -kdfopt "salt:capsuled session ticket keys"
	 *   -kdfopt hexinfo:706572696f64200000000000000007 HKDF
	 * ("period " and the period, 7, as 8 bytes big-endian)
	 */
	static const unsigned char	 want[80] = {
		0x87, 0x27, 0x75, 0xA9, 0xE9, 0x8F, 0x12, 0x47, 0xEE, 0xCF,
		0x48, 0x64, 0x40, 0xB2, 0x83, 0xAB, 0xC8, 0x7B, 0x98, 0x06,
		0xCF, 0xDF, 0xBC, 0x2E, 0x7F, 0x14, 0xD4, 0xDA, 0x8F, 0xE2,
		0x5C, 0x1A, 0xBD, 0xAB, 0x00, 0x30, 0xF7, 0xBC, 0x03, 0x5A,
		0x9A, 0x6F, 0x23, 0x62, 0xEA, 0x90, 0xCD, 0x55, 0x7E, 0xB9,
		0xBD, 0x32, 0xB9, 0xAA, 0x08, 0x56, 0x3F, 0xC8, 0xAF, 0x2B,
		0xA0, 0xE4, 0xBE, 0x7A, 0xB9, 0x7C, 0x19, 0x07, 0x1E, 0xCF,
		0x9D, 0x6E, 0xF9, 0x8F, 0x5F, 0xE9, 0x6E, 0xD5, 0xC0, 0xAF,
	};
	struct tls_ticket_key	 k;

	CHECK(sizeof(k) == sizeof(want));
	CHECK_INT(tls_ticket_derive(secret, 32, 7, &k), 0);
	CHECK(memcmp(&k, want, sizeof(want)) == 0);
}

static void
test_periods(void)
{
	struct tls_ticket_key	 a, b, c, d;

	CHECK_INT(tls_ticket_derive(secret, 32, 1234567, &a), 0);
	CHECK_INT(tls_ticket_derive(secret, 32, 1234567, &b), 0);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK_INT(tls_ticket_derive(secret, 32, 1234568, &c), 0);
	CHECK(memcmp(a.name, c.name, sizeof(a.name)) != 0);
	CHECK(memcmp(a.aes, c.aes, sizeof(a.aes)) != 0);
	/* One byte more of secret: another key. */
	CHECK_INT(tls_ticket_derive(secret, 33, 1234567, &d), 0);
	CHECK(memcmp(&a, &d, sizeof(a)) != 0);
	/* The name, the cipher key and the MAC key are apart. */
	CHECK(memcmp(a.aes, a.hmac, sizeof(a.aes)) != 0);
}

int
main(void)
{
	RUN(test_known_answer);
	RUN(test_periods);
	return HARNESS_END();
}
