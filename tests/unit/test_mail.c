/*
 * test_mail.c - the member names of mail messages (extract/mail.c).
 */
#include "../unit/tap.h"

#include <stdint.h>
#include <string.h>

#include "extract/mail.h"

static char buf[PS_MAIL_LABEL_MAX];

static const char *
label(size_t cap, const char *subject, const char *id, int64_t date,
    uint64_t index)
{
	size_t n;

	memset(buf, 'x', sizeof buf);
	n = ps_mail_label(buf, cap, subject, id, date, index);
	if (n != strlen(buf))
		return "(return value differs from length written)";
	return buf;
}

int
main(void)
{
	/* 2026-03-01T09:00:00Z */
	const int64_t march = 1772355600;

	is_str(label(sizeof buf, "Payroll March", "<a@b>", march, 3),
	    "Payroll March (2026-03-01T09:00:00Z)", "subject and date");
	is_str(label(sizeof buf, "Payroll March", NULL, PS_MAIL_NO_DATE, 3),
	    "Payroll March", "no date: no parenthesis");
	is_str(label(sizeof buf, "", "<x1@example.org>", 0, 1),
	    "<x1@example.org> (1970-01-01T00:00:00Z)", "no subject: the Message-ID");
	is_str(label(sizeof buf, " \t ", NULL, PS_MAIL_NO_DATE, 7),
	    "message 7", "a blank subject and no Message-ID: its number");
	is_str(label(sizeof buf, NULL, NULL, march, 12),
	    "message 12 (2026-03-01T09:00:00Z)", "neither, with a date");
	is_str(label(sizeof buf, "  Re:\r\n\tstaff\x01list  ", NULL, PS_MAIL_NO_DATE, 1),
	    "Re: staff list", "control characters and white space folded, trimmed");
	is_str(label(sizeof buf, "Staff/2026", NULL, PS_MAIL_NO_DATE, 1),
	    "Staff/2026", "a slash is kept, as in zip member names");
	/* 5 + 23 date bytes in a 32-byte buffer: 8 left for the name. */
	is_str(label(32, "abcdefghijk", NULL, march, 1),
	    "abcdefgh (2026-03-01T09:00:00Z)", "cut to fit with the date");
	/* "身份證" is 9 bytes: a cut after 8 drops the third character. */
	is_str(label(32, "\xe8\xba\xab\xe4\xbb\xbd\xe8\xad\x89", NULL, march, 1),
	    "\xe8\xba\xab\xe4\xbb\xbd (2026-03-01T09:00:00Z)",
	    "cut at a UTF-8 character boundary");
	is_str(label(32, "abcdefghijk", NULL, INT64_MAX, 1),
	    "abcdefghijk", "a date out of range is left out");
	is_str(label(8, NULL, NULL, PS_MAIL_NO_DATE, 123456789),
	    "message", "a tiny buffer: cut, still terminated");
	return done_testing();
}
