/*
 * ppt.c - PowerPoint 97-2003 presentations ([MS-PPT]): the text atoms of
 * the "PowerPoint Document" stream, TextCharsAtom (UTF-16LE) and
 * TextBytesAtom (8-bit), each paragraph one unit, as pptx.c does.
 *
 * The stream is a tree of records (an 8-byte header each; a container's
 * body is more records).  It is walked flat, record after record, with
 * the containers enclosing the current record on a stack of bounded
 * depth, so no nesting can make it recurse and every step moves on by a
 * header at least.  Text is located by the container it is in: "slide N"
 * in the N-th slide, in its drawing or in the slide list's text for it,
 * "slide N notes" in the notes of the slide whose id the slide list
 * gives as the N-th, and "presentation" elsewhere (masters, handouts).
 * Slides are numbered in the order their containers come in the stream,
 * which is the order of the presentation in files as they are saved.  An encrypted presentation (CryptSession10Container) is
 * recorded partial "encrypted".
 */
#include "config.h"

#include "ole.h"

#include <stdio.h>
#include <string.h>

#define RT_SLIDE                0x03EE
#define RT_NOTES                0x03F0
#define RT_NOTES_ATOM           0x03F1
#define RT_SLIDE_PERSIST        0x03F3
#define RT_MAIN_MASTER          0x03F8
#define RT_TEXT_CHARS           0x0FA0
#define RT_TEXT_BYTES           0x0FA8
#define RT_SLIDE_LIST           0x0FF0
#define RT_CRYPT_SESSION        0x2F14
#define MAX_DEPTH               32
#define MAX_SLIDE_IDS           4096    /* slides whose notes are placed */

struct container {
	uint16_t type, instance;
	size_t end;
	uint64_t number;                /* slide or notes number, list position */
};

struct ppt {
	struct container stack[MAX_DEPTH];
	unsigned depth;
	uint64_t slides;
	/* The slide ids of the slide list, in order: notes name their
	 * slide by id. */
	uint32_t ids[MAX_SLIDE_IDS];
	size_t nids;
	struct ps_para para;
};

/* Where text in the current container is. */
static void
locate(struct ppt *p, char *where, size_t cap)
{
	for (unsigned i = p->depth; i-- > 0; ) {
		const struct container *c = &p->stack[i];

		switch (c->type) {
		case RT_SLIDE:
			snprintf(where, cap, "slide %llu", (unsigned long long)c->number);
			return;
		case RT_NOTES:
			/* The notes master belongs to no slide. */
			if (c->number > 0)
				snprintf(where, cap, "slide %llu notes",
				    (unsigned long long)c->number);
			else
				snprintf(where, cap, "presentation");
			return;
		case RT_MAIN_MASTER:
			snprintf(where, cap, "presentation");
			return;
		case RT_SLIDE_LIST:
			/* Instance 0 lists slides, 2 notes, 1 masters. */
			if (c->instance == 0 && c->number > 0)
				snprintf(where, cap, "slide %llu", (unsigned long long)c->number);
			else if (c->instance == 2 && c->number > 0)
				snprintf(where, cap, "slide %llu notes", (unsigned long long)c->number);
			else
				snprintf(where, cap, "presentation");
			return;
		}
	}
	snprintf(where, cap, "presentation");
}

/* A text atom: paragraphs end at carriage returns. */
static enum ps_error
text_atom(struct ppt *p, const unsigned char *d, size_t n, bool wide)
{
	size_t count = wide ? n / 2 : n;

	locate(p, p->para.where, sizeof p->para.where);
	for (size_t i = 0; i < count && p->para.err == PS_OK; i++) {
		uint32_t c = wide ? ps_ole_u16(d + 2 * i) : d[i];

		if (c == 0x0D) {
			ps_para_end(&p->para);
			continue;
		}
		if (c == 0x0B)
			c = '\n';
		else if (c == 0x09 || c == 0xA0)
			c = ' ';
		else if (c < 0x20)
			continue;
		ps_para_put(&p->para, c);
	}
	ps_para_end(&p->para);
	return p->para.err;
}

static void
push(struct ppt *p, uint16_t type, uint16_t instance, size_t end)
{
	struct container *c;

	if (p->depth == MAX_DEPTH)
		return;         /* deeper ones count as their ancestor */
	c = &p->stack[p->depth++];
	c->type = type;
	c->instance = instance;
	c->end = end;
	c->number = 0;
	if (type == RT_SLIDE)
		c->number = ++p->slides;
}

/* A SlidePersistAtom of a slide list, or a NotesAtom naming its slide. */
static void
persist_atom(struct ppt *p, uint16_t type, const unsigned char *d, size_t n)
{
	struct container *c = p->depth > 0 ? &p->stack[p->depth - 1] : NULL;

	if (c == NULL)
		return;
	if (type == RT_SLIDE_PERSIST && c->type == RT_SLIDE_LIST) {
		c->number++;
		if (c->instance == 0 && n >= 16 && p->nids < MAX_SLIDE_IDS)
			p->ids[p->nids++] = ps_ole_u32(d + 12);
	} else if (type == RT_NOTES_ATOM && c->type == RT_NOTES && n >= 4) {
		uint32_t id = ps_ole_u32(d);

		for (size_t i = 0; i < p->nids; i++)
			if (p->ids[i] == id && id != 0) {
				c->number = i + 1;
				break;
			}
	}
}

enum ps_error
ps_ole_ppt(struct ps_extract *x, struct ps_ole *o)
{
	struct ps_ole_stream s = { 0 };
	struct ppt p;
	enum ps_error err;
	size_t pos = 0;

	ps_extract_set_type(x, "ppt");
	memset(&p, 0, sizeof p);
	ps_para_init(&p.para, x->sink);
	if ((err = ps_ole_stream(o, "PowerPoint Document", &s)) != PS_OK)
		return err == PS_ERR_NOMEM ? err : PS_OK;
	while (err == PS_OK && ps_ole_has(s.len, pos, 8)) {
		const unsigned char *h = s.data + pos;
		uint16_t ver = ps_ole_u16(h) & 0x0F, instance = ps_ole_u16(h) >> 4;
		uint16_t type = ps_ole_u16(h + 2);
		uint32_t len = ps_ole_u32(h + 4);
		size_t body = pos + 8;

		if (ps_extract_stopping(x)) {
			err = PS_ERR_STOP;
			break;
		}
		while (p.depth > 0 && pos >= p.stack[p.depth - 1].end)
			p.depth--;
		if (type == RT_CRYPT_SESSION) {
			ps_extract_partial(x, "encrypted");
			break;
		}
		if (ver == 0x0F) {
			/* A container: its records follow. */
			push(&p, type, instance, ps_ole_has(s.len, body, len) ? body + len : s.len);
			pos = body;
			continue;
		}
		if (!ps_ole_has(s.len, body, len)) {
			ps_extract_partial(x, "corrupt: PowerPoint Document cut short");
			break;
		}
		if (type == RT_SLIDE_PERSIST || type == RT_NOTES_ATOM)
			persist_atom(&p, type, s.data + body, len);
		else if (type == RT_TEXT_CHARS || type == RT_TEXT_BYTES)
			err = text_atom(&p, s.data + body, len, type == RT_TEXT_CHARS);
		pos = body + len;
	}
	ps_para_end(&p.para);
	ps_ole_stream_free(&s);
	return err;
}
