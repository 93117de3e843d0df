/*
 * mail.c - the member names of mail messages (see mail.h).
 */
#include "config.h"

#include "mail.h"

#include "finding.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Copy name into buf (at most cap - 1 bytes, NUL-terminated), control
 * characters as spaces, white space folded, trimmed, cut at a UTF-8
 * character boundary.  Returns the length written. */
static size_t
copy_folded(char *buf, size_t cap, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;
	bool space = false;

	for (; *s != '\0'; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = n > 0;
			continue;
		}
		if (space) {
			if (n + 1 >= cap)
				break;
			buf[n++] = ' ';
			space = false;
		}
		if (n + 1 >= cap)
			break;
		buf[n++] = (char)c;
	}
	/* Drop a UTF-8 sequence the cut left incomplete. */
	if (*s != '\0' && n > 0) {
		size_t lead = n;

		while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xc0) == 0x80)
			lead--;
		if (lead > 0 && (unsigned char)buf[lead - 1] >= 0xc0) {
			unsigned char c = (unsigned char)buf[lead - 1];
			size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			if (n - (lead - 1) < want)
				n = lead - 1;
		}
		while (n > 0 && buf[n - 1] == ' ')
			n--;
	}
	buf[n] = '\0';
	return n;
}

void
ps_mail_mask_numbers(char *s)
{
	size_t i = 0;

	while (s[i] != '\0') {
		size_t j, digits = 0, last = i;

		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		for (j = i; s[j] != '\0' && strchr("0123456789 -.()", s[j]) != NULL; j++)
			if (s[j] >= '0' && s[j] <= '9') {
				digits++;
				last = j;
			}
		if (digits >= 6)
			for (size_t k = i; k <= last; k++)
				if (s[k] >= '0' && s[k] <= '9')
					s[k] = '#';
		i = last + 1;
	}
}

/* The name folded and masked, then cut to fit in cap: a number that the
 * cut would leave shorter than six digits is masked all the same. */
static size_t
name_masked(char *buf, size_t cap, const char *name)
{
	char wide[PS_MAIL_LABEL_MAX + 64];
	size_t n;

	copy_folded(wide, cap + 64 < sizeof wide ? cap + 64 : sizeof wide, name);
	ps_mail_mask_numbers(wide);
	n = copy_folded(buf, cap, wide);
	ps_wipe(wide, sizeof wide);  /* the subject may hold a number */
	return n;
}

size_t
ps_mail_label(char *buf, size_t cap, const char *subject,
    const char *message_id, int64_t date, uint64_t index)
{
	char when[32] = "";
	size_t n = 0, room;

	if (cap == 0)
		return 0;
	if (date != PS_MAIL_NO_DATE) {
		time_t t = (time_t)date;
		struct tm tm;

		if ((int64_t)t == date && gmtime_r(&t, &tm) != NULL
		    && tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900)
			strftime(when, sizeof when, " (%Y-%m-%dT%H:%M:%SZ)", &tm);
	}
	room = cap > strlen(when) ? cap - strlen(when) : 1;
	if (subject != NULL)
		n = name_masked(buf, room, subject);
	if (n == 0 && message_id != NULL)
		n = name_masked(buf, room, message_id);
	if (n == 0)
		n = (size_t)snprintf(buf, room, "message %" PRIu64, index);
	if (n >= room)
		n = room - 1;
	if (n + strlen(when) < cap) {
		memcpy(buf + n, when, strlen(when) + 1);
		n += strlen(when);
	}
	buf[n] = '\0';
	return n;
}

enum ps_error
ps_mail_header_line(struct ps_sink *sink, const char *name, const char *value)
{
	enum ps_error err;

	if (value == NULL || value[0] == '\0')
		return PS_OK;
	if ((err = ps_sink_text(sink, name, strlen(name))) != PS_OK
	    || (err = ps_sink_text(sink, ": ", 2)) != PS_OK
	    || (err = ps_sink_text(sink, value, strlen(value))) != PS_OK)
		return err;
	return ps_sink_text(sink, "\n", 1);
}
