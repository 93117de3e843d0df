/*
 * mail.h - what the mail formats share (for extract/ files only).
 *
 * Every message of a mail store or file is named in the member chain by
 * its label (ps_extract_enter()); its attachments are children named by
 * their file names.  A card in staff.csv attached to a mail in a store's
 * Inbox is at member "Inbox/Payroll March (2026-03-01T09:00:00Z)/staff.csv".
 */
#ifndef PS_MAIL_H
#define PS_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "../sink.h"

/* A message without a date. */
#define PS_MAIL_NO_DATE INT64_MIN

/* Longest label written, NUL included. */
#define PS_MAIL_LABEL_MAX 256

/*
 * A message's member component: "Subject (2026-03-01T09:00:00Z)"; without
 * a subject its Message-ID ("<id@host>"), without either "message N"
 * (index, from 1).  date is seconds since the epoch, UTC, or
 * PS_MAIL_NO_DATE: then the parenthesis is left out.  Numbers in the name
 * are masked (ps_mail_mask_numbers()).  Control characters
 * become spaces, runs of white space one space, and the name is cut at a
 * UTF-8 character boundary so that it fits in cap (at least 32) with the
 * date.  Returns the label's length.
 */
size_t ps_mail_label(char *buf, size_t cap, const char *subject,
    const char *message_id, int64_t date, uint64_t index);

/*
 * Member names are stored as they are, and subjects, folder and file
 * names do hold card and ID numbers ("HKID A123456(3)"): in every stretch
 * of digits, spaces, dashes, dots and brackets that holds six digits or
 * more, the digits become '#' ("A######(#)").  ps_mail_label() does this
 * to the subject and Message-ID; the mail formats do it to the names of
 * attachments and folders.
 */
void ps_mail_mask_numbers(char *name);

/* "Name: value\n" to the unit open on sink (the "headers" unit of a
 * message), when there is a value. */
enum ps_error ps_mail_header_line(struct ps_sink *sink, const char *name,
    const char *value);

#endif
