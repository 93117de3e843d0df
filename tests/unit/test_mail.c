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
	is_str(label(sizeof buf, "HKID A123456(3) form", NULL, march, 1),
	    "HKID A######(#) form (2026-03-01T09:00:00Z)", "an HKID in a subject is masked");
	is_str(label(sizeof buf, "Card 4111 1111-1111.1111 and 2026", NULL, PS_MAIL_NO_DATE, 1),
	    "Card #### ####-####.#### and 2026", "a grouped card number is masked, a year is not");
	is_str(label(sizeof buf, "Meeting 2026-03-01 at 12345", NULL, PS_MAIL_NO_DATE, 1),
	    "Meeting ####-##-## at 12345", "a date of six digits or more goes too; five digits stay");
	is_str(label(sizeof buf, "", "<20260301.123456@example.org>", PS_MAIL_NO_DATE, 1),
	    "<########.######@example.org>", "a Message-ID's numbers are masked");
	/* The cut falls inside the number: what is left of it is masked. */
	is_str(label(32, "abcdef 1234567890", NULL, march, 1),
	    "abcdef # (2026-03-01T09:00:00Z)", "a number cut short by the cut is masked all the same");
	{
		char name[] = "staff A123456(3).csv";

		ps_mail_mask_numbers(name);
		is_str(name, "staff A######(#).csv", "an attachment name");
	}
	return done_testing();
}
