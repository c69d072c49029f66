/*
 * Times: Ruby's strftime, and the date forms Ruby's Time.parse reads.
 * Calendar arithmetic is done here (proleptic Gregorian, any offset),
 * not through the C library, so that a time keeps the offset it was
 * written with.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model-int.h"

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};
static const char *const day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

/* Years beyond this are not dates here (Ruby's would be Bignums). */
#define TIME_MAX_YEAR	1000000

struct civil {
	int64_t	 year;
	int	 mon, mday;		/* 1-based */
	int	 hour, min, sec;
	int	 wday, yday;		/* 0-based (Sunday 0), 0-based */
};

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, struct civil *c)
{
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = yoe + era * 400 + (c->mon <= 2);
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void
to_civil(const struct value_time *t, struct civil *c)
{
	int64_t	s, days, rem;

	/* Out of range (a forged time): the epoch, not an overflow. */
	s = t->sec > -VALUE_TIME_MAX_SEC && t->sec < VALUE_TIME_MAX_SEC ?
	    t->sec + t->offset : 0;

	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	rem = s - days * 86400;
	civil_from_days(days, c);
	c->hour = (int)(rem / 3600);
	c->min = (int)(rem / 60 % 60);
	c->sec = (int)(rem % 60);
	c->wday = (int)(((days % 7) + 11) % 7);	/* 1970-01-01: Thursday */
	c->yday = (int)(days - days_from_civil(c->year, 1, 1));
}

void
value_time_local(struct value_time *t)
{
	struct tm	tm;
	time_t		s = (time_t)t->sec;

	if (value_zone_local(t))
		return;
	memset(&tm, 0, sizeof(tm));
	if (localtime_r(&s, &tm) == NULL)
		return;
	t->offset = (int32_t)tm.tm_gmtoff;
	snprintf(t->zone, sizeof(t->zone), "%s", tm.tm_zone ? tm.tm_zone : "");
	t->utc = false;
}

void
value_time_now(struct value_time *t)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(t, 0, sizeof(*t));
	t->sec = ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	value_time_local(t);
}

static int
iso_weeks_in(int64_t y)
{
	int64_t	p = (y + y / 4 - y / 100 + y / 400) % 7;
	int64_t	q = ((y - 1) + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400) % 7;

	return p == 4 || q == 3 ? 53 : 52;
}

/* ISO 8601 week-based year and week of c. */
static void
iso_week(const struct civil *c, int64_t *year, int *week)
{
	int	wday = c->wday == 0 ? 7 : c->wday;
	int	w = (c->yday + 1 - wday + 10) / 7;

	*year = c->year;
	if (w < 1) {
		(*year)--;
		w = iso_weeks_in(*year);
	} else if (w > iso_weeks_in(c->year)) {
		(*year)++;
		w = 1;
	}
	*week = w;
}

struct spec {
	char	 pad;		/* '0', ' ', or 0 for none ('-') */
	bool	 padset;
	int	 width;		/* -1: default */
	bool	 upper, swap;
	int	 colons;
};

static void
put_num(struct buf *out, const struct spec *sp, int64_t n, int defw,
    char defpad)
{
	char	tmp[32];
	int	w = sp->width >= 0 ? sp->width : defw, len;
	char	pad = sp->padset ? sp->pad : defpad;
	bool	neg = n < 0;

	len = snprintf(tmp, sizeof(tmp), "%lld", (long long)(neg ? -n : n));
	if (neg)
		buf_putc(out, '-'), w--;
	if (pad != 0)
		for (; len < w; w--)
			buf_putc(out, pad);
	buf_puts(out, tmp);
}

static void
put_str(struct buf *out, const struct spec *sp, const char *s, size_t n)
{
	size_t	i;
	char	pad = sp->padset && sp->pad ? sp->pad : ' ';

	if (sp->width > 0 && !(sp->padset && sp->pad == 0))
		for (i = n; i < (size_t)sp->width; i++)
			buf_putc(out, pad);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (sp->upper || sp->swap)
			c = (char)toupper((unsigned char)c);
		buf_putc(out, c);
	}
}

static void
put_offset(struct buf *out, const struct spec *sp, int32_t off)
{
	int	a = off < 0 ? -off : off;
	int	h = a / 3600, m = a / 60 % 60, s = a % 60;
	char	tmp[16];
	int	n;

	if (sp->colons == 0)
		n = snprintf(tmp, sizeof(tmp), "%02d%02d", h, m);
	else if (sp->colons == 1)
		n = snprintf(tmp, sizeof(tmp), "%02d:%02d", h, m);
	else
		n = snprintf(tmp, sizeof(tmp), "%02d:%02d:%02d", h, m, s);
	buf_putc(out, off < 0 ? '-' : '+');
	for (; sp->width > n + 1 && n < 100; n++)
		buf_putc(out, '0');
	buf_puts(out, tmp);
}

static void	strftime_run(const struct value_time *, const struct civil *,
		    const char *, size_t, struct buf *, int);

static void
put_sub(const struct value_time *t, const struct civil *c,
    const struct spec *sp, const char *fmt, struct buf *out, int depth)
{
	struct buf	tmp = BUF_INIT;

	strftime_run(t, c, fmt, strlen(fmt), &tmp, depth + 1);
	put_str(out, sp, tmp.data ? tmp.data : "", tmp.len);
	buf_free(&tmp);
}

/* One conversion; false when c is not one (printed as it was). */
static bool
convert(const struct value_time *t, const struct civil *c, char conv,
    struct spec *sp, struct buf *out, int depth)
{
	int64_t		 iy;
	int		 iw;
	const char	*s;
	char		 tmp[8];

	switch (conv) {
	case 'Y': put_num(out, sp, c->year, c->year < 0 ? 5 : 4, '0'); break;
	case 'C': put_num(out, sp, c->year / 100 - (c->year < 0 &&
	    c->year % 100), 2, '0'); break;
	case 'y': put_num(out, sp, ((c->year % 100) + 100) % 100, 2, '0');
		break;
	case 'm': put_num(out, sp, c->mon, 2, '0'); break;
	case 'd': put_num(out, sp, c->mday, 2, '0'); break;
	case 'e': put_num(out, sp, c->mday, 2, ' '); break;
	case 'j': put_num(out, sp, c->yday + 1, 3, '0'); break;
	case 'H': put_num(out, sp, c->hour, 2, '0'); break;
	case 'k': put_num(out, sp, c->hour, 2, ' '); break;
	case 'I': put_num(out, sp, (c->hour + 11) % 12 + 1, 2, '0'); break;
	case 'l': put_num(out, sp, (c->hour + 11) % 12 + 1, 2, ' '); break;
	case 'M': put_num(out, sp, c->min, 2, '0'); break;
	case 'S': put_num(out, sp, c->sec, 2, '0'); break;
	case 'L':
	case 'N': {
		int w = sp->width > 0 ? sp->width : conv == 'L' ? 3 : 9, i;
		char digits[10];

		snprintf(digits, sizeof(digits), "%09d", t->nsec);
		for (i = 0; i < w; i++)
			buf_putc(out, i < 9 ? digits[i] : '0');
		break;
	}
	case 'p':
	case 'P':
		s = c->hour < 12 ? "AM" : "PM";
		if (conv == 'P' || sp->swap) {
			tmp[0] = (char)tolower((unsigned char)s[0]);
			tmp[1] = 'm';
			sp->swap = false;
			put_str(out, sp, tmp, 2);
		} else
			put_str(out, sp, s, 2);
		break;
	case 'A': s = day_names[c->wday]; put_str(out, sp, s, strlen(s));
		break;
	case 'a': put_str(out, sp, day_names[c->wday], 3); break;
	case 'B': s = month_names[c->mon - 1];
		put_str(out, sp, s, strlen(s)); break;
	case 'b':
	case 'h': put_str(out, sp, month_names[c->mon - 1], 3); break;
	case 'u': put_num(out, sp, c->wday == 0 ? 7 : c->wday, 1, '0');
		break;
	case 'w': put_num(out, sp, c->wday, 1, '0'); break;
	case 'U': put_num(out, sp, (c->yday + 7 - c->wday) / 7, 2, '0');
		break;
	case 'W': put_num(out, sp, (c->yday + 7 - (c->wday + 6) % 7) / 7,
	    2, '0'); break;
	case 'G': iso_week(c, &iy, &iw); put_num(out, sp, iy, 4, '0'); break;
	case 'g': iso_week(c, &iy, &iw);
		put_num(out, sp, ((iy % 100) + 100) % 100, 2, '0'); break;
	case 'V': iso_week(c, &iy, &iw); put_num(out, sp, iw, 2, '0'); break;
	case 's': put_num(out, sp, t->sec, 1, '0'); break;
	case 'z': put_offset(out, sp, t->offset); break;
	case 'Z':
		s = t->utc ? "UTC" : t->zone;
		put_str(out, sp, s, strlen(s));
		break;
	case 'n': buf_putc(out, '\n'); break;
	case 't': buf_putc(out, '\t'); break;
	case '%': buf_putc(out, '%'); break;
	case 'c': put_sub(t, c, sp, "%a %b %e %H:%M:%S %Y", out, depth); break;
	case 'D':
	case 'x': put_sub(t, c, sp, "%m/%d/%y", out, depth); break;
	case 'F': put_sub(t, c, sp, "%Y-%m-%d", out, depth); break;
	case 'T':
	case 'X': put_sub(t, c, sp, "%H:%M:%S", out, depth); break;
	case 'R': put_sub(t, c, sp, "%H:%M", out, depth); break;
	case 'r': put_sub(t, c, sp, "%I:%M:%S %p", out, depth); break;
	case 'v': put_sub(t, c, sp, "%e-%^b-%4Y", out, depth); break;
	case '+': put_sub(t, c, sp, "%a %b %e %H:%M:%S %Z %Y", out, depth);
		break;
	default:
		return false;
	}
	return true;
}

static void
strftime_run(const struct value_time *t, const struct civil *c,
    const char *fmt, size_t len, struct buf *out, int depth)
{
	struct spec	 sp;
	size_t		 i, start;

	for (i = 0; i < len; i++) {
		if (fmt[i] != '%' || depth > 2) {
			buf_putc(out, fmt[i]);
			continue;
		}
		start = i++;
		memset(&sp, 0, sizeof(sp));
		sp.width = -1;
		for (; i < len; i++) {
			if (fmt[i] == '-')
				sp.pad = 0, sp.padset = true;
			else if (fmt[i] == '_')
				sp.pad = ' ', sp.padset = true;
			else if (fmt[i] == '0')
				sp.pad = '0', sp.padset = true;
			else if (fmt[i] == '^')
				sp.upper = true;
			else if (fmt[i] == '#')
				sp.swap = true;
			else
				break;
		}
		for (; i < len && fmt[i] >= '0' && fmt[i] <= '9'; i++)
			if (sp.width < 1000)
				sp.width = (sp.width < 0 ? 0 : sp.width * 10) +
				    (fmt[i] - '0');
		for (; i < len && fmt[i] == ':'; i++)
			sp.colons++;
		if (i >= len || (sp.colons > 0 && fmt[i] != 'z') ||
		    !convert(t, c, fmt[i], &sp, out, depth)) {
			if (i >= len)
				i = len - 1;
			buf_append(out, fmt + start, i + 1 - start);
		}
	}
}

void
value_strftime(const struct value_time *t, const char *fmt, size_t len,
    struct buf *out)
{
	struct civil	c;

	to_civil(t, &c);
	strftime_run(t, &c, fmt, len, out, 0);
	if (out->data == NULL)
		buf_reserve(out, 0), out->data[0] = '\0';
}

/* Time.parse's reading of a string: what it found. */
struct parsed {
	int64_t	 year;
	int	 mon, mday, hour, min, sec, nsec;
	bool	 has_year, has_date, has_time, has_zone, utc, bad;
	int32_t	 offset;
};

static int
month_at(const char *s, size_t n, size_t *lenp)
{
	size_t	i, l;

	for (i = 0; i < 12; i++) {
		l = strlen(month_names[i]);
		if (n >= l && strncasecmp(s, month_names[i], l) == 0) {
			*lenp = l;
			return (int)i + 1;
		}
		if (n >= 3 && strncasecmp(s, month_names[i], 3) == 0 &&
		    (n == 3 || !isalpha((unsigned char)s[3]))) {
			*lenp = n >= 4 && s[3] == '.' ? 4 : 3;
			return (int)i + 1;
		}
	}
	return 0;
}

static size_t
digits_at(const char *s, size_t n, int64_t *v)
{
	size_t	i;

	*v = 0;
	for (i = 0; i < n && isdigit((unsigned char)s[i]) && i < 18; i++)
		*v = *v * 10 + (s[i] - '0');
	return i;
}

static const struct {
	const char	*name;
	int		 hours;
} zones[] = {
	{ "UTC", 0 }, { "GMT", 0 }, { "UT", 0 }, { "Z", 0 },
	{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
	{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	{ "CET", 1 }, { "CEST", 2 }, { "BST", 1 }, { "JST", 9 },
};

/* A zone at s: "+0200", "+02:00", "-05", "UTC", "EST"; its length or 0. */
static size_t
zone_at(const char *s, size_t n, struct parsed *p)
{
	int64_t	h, m = 0, mm;
	size_t	i, k, l;

	if (n > 1 && (s[0] == '+' || s[0] == '-')) {
		k = digits_at(s + 1, n - 1, &h);
		if (k == 4) {
			m = h % 100;
			h /= 100;
		} else if (k == 2 || k == 1) {
			/* Minutes only when two digits follow the colon. */
			if (1 + k < n && s[1 + k] == ':' &&
			    digits_at(s + 2 + k, n - 2 - k, &mm) == 2) {
				m = mm;
				k += 3;
			}
		} else
			return 0;
		p->offset = (int32_t)((h * 3600 + m * 60) * (s[0] == '-' ?
		    -1 : 1));
		p->has_zone = true;
		return 1 + k;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		l = strlen(zones[i].name);
		if (n >= l && strncasecmp(s, zones[i].name, l) == 0 &&
		    (n == l || !isalpha((unsigned char)s[l]))) {
			p->offset = zones[i].hours * 3600;
			p->has_zone = true;
			p->utc = zones[i].hours == 0;
			k = l;
			if (zones[i].hours == 0 && n > l &&
			    (s[l] == '+' || s[l] == '-'))
				k += zone_at(s + l, n - l, p), p->utc = false;
			return k;
		}
	}
	return 0;
}

/* HH:MM[:SS[.frac]] [am|pm] [zone] at s; its length or 0. */
static size_t
time_at(const char *s, size_t n, struct parsed *p)
{
	int64_t	v;
	size_t	i, k, z;
	int	frac_digits = 0;

	if ((k = digits_at(s, n, &v)) == 0 || k > 2 || k >= n ||
	    s[k] != ':')
		return 0;
	p->hour = (int)v;
	i = k + 1;
	if (digits_at(s + i, n - i, &v) != 2)
		return 0;
	/* A time out of range makes Time.parse fail. */
	if (p->hour > 24 || v > 59)
		p->bad = true;
	p->min = (int)v;
	i += 2;
	p->sec = 0;
	if (i < n && s[i] == ':' && digits_at(s + i + 1, n - i - 1, &v) == 2) {
		p->sec = (int)(v > 60 ? 60 : v);
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			for (i++; i < n && isdigit((unsigned char)s[i]); i++)
				if (frac_digits++ < 9)
					p->nsec = p->nsec * 10 + (s[i] - '0');
			for (; frac_digits < 9; frac_digits++)
				p->nsec *= 10;
		}
	}
	k = i;
	while (k < n && s[k] == ' ')
		k++;
	if (k + 1 < n && strchr("aApP", s[k]) && (s[k + 1] == 'm' ||
	    s[k + 1] == 'M') && (k + 2 == n ||
	    !isalpha((unsigned char)s[k + 2]))) {
		p->hour = p->hour % 12 + (tolower((unsigned char)s[k]) == 'p' ?
		    12 : 0);
		i = k + 2;
	}
	k = i;
	while (k < n && s[k] == ' ')
		k++;
	if ((z = zone_at(s + k, n - k, p)) > 0)
		i = k + z;
	p->has_time = true;
	return i;
}

static bool
set_date(struct parsed *p, int64_t y, int64_t m, int64_t d, bool has_year)
{
	if (p->has_date || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	p->year = y;
	p->mon = (int)m;
	p->mday = (int)d;
	p->has_year = has_year;
	p->has_date = true;
	return true;
}

/* A date written with digits at s: Y-M-D, Y/M/D, D/M/Y, D.M.Y, YYYYMMDD. */
static size_t
numeric_date_at(const char *s, size_t n, struct parsed *p)
{
	int64_t	a, b, c;
	size_t	ka, kb, kc;
	char	sep;

	ka = digits_at(s, n, &a);
	if (ka == 8 && (ka == n || !isdigit((unsigned char)s[ka])))
		return set_date(p, a / 10000, a / 100 % 100, a % 100, true) ?
		    8 : 0;
	if (ka == 0 || ka + 1 >= n || strchr("-/.", s[ka]) == NULL)
		return 0;
	sep = s[ka];
	kb = digits_at(s + ka + 1, n - ka - 1, &b);
	if (kb == 0 || kb > 2)
		return 0;
	if (ka + 1 + kb + 1 < n && s[ka + 1 + kb] == sep) {
		kc = digits_at(s + ka + kb + 2, n - ka - kb - 2, &c);
		if (kc == 0)
			return 0;
		if (ka >= 3) {
			if (kc > 2)
				return 0;
			return set_date(p, a, b, c, true) ?
			    ka + kb + kc + 2 : 0;
		}
		if (c < 100 && kc <= 2)
			c += c < 50 ? 2000 : 1900;
		return set_date(p, c, b, a, true) ? ka + kb + kc + 2 : 0;
	}
	if (ka >= 3 && sep == '-')	/* "2016-07": July 2016 */
		return set_date(p, a, b, 1, true) ? ka + kb + 1 : 0;
	return 0;
}

/* "15 July 2016", "15th Jul", "July 15, 2016", "July 2016". */
static size_t
named_date_at(const char *s, size_t n, struct parsed *p, bool *matched)
{
	int64_t	d = 0, y = 0;
	size_t	i = 0, k, ml;
	int	m;

	*matched = false;
	if (isdigit((unsigned char)s[0])) {
		if ((k = digits_at(s, n, &d)) > 2)
			return 0;
		i = k;
		if (i + 1 < n && strchr("snrt", tolower((unsigned char)s[i])))
			i += 2;
		while (i < n && (s[i] == ' ' || s[i] == '-' || s[i] == '.'))
			i++;
		if ((m = month_at(s + i, n - i, &ml)) == 0)
			return 0;
		i += ml;
		while (i < n && strchr(" ,-.", s[i]))
			i++;
		if ((k = digits_at(s + i, n - i, &y)) >= 3 && (i + k == n ||
		    s[i + k] != ':')) {
			*matched = set_date(p, y, m, d, true);
			return i + k;
		}
		*matched = set_date(p, 0, m, d, false);
		return i;
	}
	if ((m = month_at(s, n, &ml)) == 0)
		return 0;
	i = ml;
	while (i < n && strchr(" .-", s[i]))
		i++;
	if ((k = digits_at(s + i, n - i, &d)) >= 1 && k <= 2 &&
	    (i + k == n || s[i + k] != ':')) {
		i += k;
		if (i + 1 < n && strchr("snrt", tolower((unsigned char)s[i])) &&
		    isalpha((unsigned char)s[i + 1]))
			i += 2;
		k = i;
		while (k < n && strchr(" ,", s[k]))
			k++;
		if (digits_at(s + k, n - k, &y) == 4 && (k + 4 == n ||
		    s[k + 4] != ':')) {
			*matched = set_date(p, y, m, d, true);
			return k + 4;
		}
		*matched = set_date(p, 0, m, d, false);
		return i;
	}
	if (digits_at(s + i, n - i, &y) == 4) {
		*matched = set_date(p, y, m, 1, true);
		return i + 4;
	}
	*matched = set_date(p, 0, m, 1, false);
	return i;
}

int
value_time_parse(const char *s, size_t n, struct value_time *t)
{
	struct parsed	p;
	struct value_time now;
	struct civil	c;
	size_t		i = 0, k;
	bool		matched;
	int64_t		days;

	memset(&p, 0, sizeof(p));
	while (i < n) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '-') {
			i++;
			continue;
		}
		if (isdigit((unsigned char)s[i]) && !p.has_time &&
		    (k = time_at(s + i, n - i, &p)) > 0) {
			i += k;
			continue;
		}
		if (isdigit((unsigned char)s[i]) && !p.has_date &&
		    (k = numeric_date_at(s + i, n - i, &p)) > 0) {
			i += k;
			if (i < n && (s[i] == 'T' || s[i] == 't'))
				i++;
			continue;
		}
		if (isalnum((unsigned char)s[i]) && !p.has_date &&
		    (k = named_date_at(s + i, n - i, &p, &matched)) > 0 &&
		    matched) {
			i += k;
			continue;
		}
		if (p.has_time && !p.has_zone && (k = zone_at(s + i, n - i,
		    &p)) > 0) {
			i += k;
			continue;
		}
		/* A word (a weekday), or a number that is none of those. */
		if (isdigit((unsigned char)s[i]) && !p.has_date)
			return -1;
		while (i < n && isalnum((unsigned char)s[i]))
			i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
	}
	if ((!p.has_date && !p.has_time) || p.bad || p.year > TIME_MAX_YEAR ||
	    p.year < -TIME_MAX_YEAR)
		return -1;
	value_time_now(&now);
	to_civil(&now, &c);
	if (!p.has_date) {
		p.year = c.year;
		p.mon = c.mon;
		p.mday = c.mday;
	} else if (!p.has_year)
		p.year = c.year;
	if (p.mday > 28) {
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
		    30, 31, 30, 31 };
		int max = mdays[p.mon - 1] + (p.mon == 2 && leap(p.year));

		if (p.mday > max)
			return -1;
	}
	memset(t, 0, sizeof(*t));
	days = days_from_civil(p.year, p.mon, p.mday);
	t->sec = days * 86400 + p.hour * 3600 + p.min * 60 + p.sec;
	t->nsec = p.nsec;
	if (p.has_zone) {
		t->sec -= p.offset;
		t->offset = p.offset;
		t->utc = p.utc;
		if (p.utc)
			snprintf(t->zone, sizeof(t->zone), "UTC");
		return 0;
	}
	/* Local wall time: find the offset in force then. */
	value_time_local(t);
	t->sec -= t->offset;
	value_time_local(t);
	return 0;
}
