/*
 * pstgen.c - writes small Outlook PST files (Unicode, [MS-PST]) for the
 * tests, byte by byte: we cannot ship real mail stores, and the tests need
 * stores whose every folder, message and attachment is known.
 *
 * usage: pstgen OUT.pst [--store NAME] ITEM...
 *   --folder PATH                 later messages go to PATH, folders under
 *                                 the top of the store separated by '/'
 *                                 ("Inbox/Payroll"), made as needed
 *   --message SUBJECT DATE BODY   a message: DATE is YYYY-MM-DDTHH:MM:SSZ
 *                                 or "-" (none), BODY a UTF-8 text file
 *                                 (PR_BODY) or "-" (none)
 *   --html FILE                   an HTML body (PR_HTML) for the last message
 *   --rtf FILE                    an RTF body (PR_RTF_COMPRESSED, written
 *                                 as LZFu of literals only) for it
 *   --from NAME                   the last message's sender display name
 *   --to NAME [ADDRESS]           a recipient of the last message (more
 *                                 than one allowed); --cc likewise
 *   --message-id ID               its PR_INTERNET_MESSAGE_ID ("<a@b>")
 *   --attach NAME FILE            FILE attached to the last message by
 *                                 value, with the file name NAME ("" for
 *                                 none)
 *   --embed SUBJECT DATE BODY     a message attached to the last message
 *                                 (ATTACH_EMBEDDED_MSG); it becomes the
 *                                 last message, so the options after it
 *                                 (--to, --attach, --embed...) apply to it
 *   --corrupt                     spoil the last message's property
 *                                 context block (its CRC fails): libpff
 *                                 cannot read that message, the rest of
 *                                 the store reads
 *
 * Messages without --folder go to Inbox.  Sender "Test Sender" unless
 * --from; no recipients unless --to or --cc.
 *
 * What it writes: the header (both CRCs), an AMap page per 248 KiB and a
 * PMap page per 2 MiB (AMaps exact, so the allocated/unallocated split
 * libpff's recovery reads is true), the node and block B-trees (as many
 * levels as needed), the message store (0x21, with
 * PR_IPM_SUBTREE_ENTRYID), a name-to-id map (0x61) holding one numeric
 * entry (libpff refuses an empty one), the root folder (0x122) and "Top of
 * Personal Folders" with their hierarchy, contents and
 * associated-contents tables, the folders asked for likewise, and each
 * message as a property context (IPM.Note) with its recipient table and
 * attachment table and attachments (ATTACH_BY_VALUE property contexts)
 * as subnodes.  No encryption (NDB_CRYPT_NONE).  Heaps and table rows
 * span several blocks when they must; values over 3580 bytes go to
 * subnodes, data over 8176 bytes to an XBLOCK of blocks.
 *
 * Limits: a value (body, attachment) of at most 1021 blocks (8.3 MB, no
 * XXBLOCK); at most 340 subnodes per node (one SLBLOCK, no SIBLOCK: about
 * 330 attachments and long values per message); a file of 64 MiB.  Not
 * written: named properties beyond the one entry (no hash buckets),
 * search folders and their queues, RTF bodies, ANSI (pre-2003) stores,
 * OST stores, encryption.
 *
 * Test-only code: it exits on the first error, with a message.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 512u
#define BLOCK_MAX 8192u
#define BLOCK_DATA_MAX (BLOCK_MAX - 16u)   /* less the block trailer */
#define HEAP_ALLOC_MAX 3580u               /* larger values go to subnodes */
#define AMAP_FIRST 0x4400u
#define AMAP_SPAN (496u * 8u * 64u)         /* bytes one AMap page maps */
#define PMAP_SPAN (496u * 8u * 512u)
#define FILE_MAX (64u << 20)

/* Property types */
#define PT_LONG 0x0003
#define PT_BOOLEAN 0x000B
#define PT_UNICODE 0x001F
#define PT_SYSTIME 0x0040
#define PT_OBJECT 0x000D
#define PT_BINARY 0x0102

/* Page types */
#define PT_BBT 0x80
#define PT_NBT 0x81
#define PT_AMAP 0x84
#define PT_PMAP 0x83

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pstgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL)
		die("out of memory");
	return p;
}

/* ---- byte buffers ---- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void
reserve(struct buf *b, size_t len)
{
	if (len > b->cap) {
		b->cap = len * 2 + 64;
		b->p = xrealloc(b->p, b->cap);
	}
	if (len > b->len) {
		memset(b->p + b->len, 0, len - b->len);
		b->len = len;
	}
}

static void
put(struct buf *b, const void *p, size_t n)
{
	size_t at = b->len;

	reserve(b, at + n);
	if (n > 0)
		memcpy(b->p + at, p, n);
}

static void
le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}

static void
le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

static void
put16(struct buf *b, uint16_t v)
{
	uint8_t x[2];

	le16(x, v);
	put(b, x, 2);
}

static void
put32(struct buf *b, uint32_t v)
{
	uint8_t x[4];

	le32(x, v);
	put(b, x, 4);
}

static void
put64(struct buf *b, uint64_t v)
{
	uint8_t x[8];

	le64(x, v);
	put(b, x, 8);
}

static void
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	uint8_t chunk[4096];
	size_t n;

	if (f == NULL)
		die("%s: cannot open", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		put(b, chunk, n);
		if (b->len > FILE_MAX)
			die("%s: too large", path);
	}
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
}

/* UTF-8 to UTF-16LE, without a terminator (PST strings have none). */
static void
utf16(struct buf *out, const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c = s[i];
		int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;

		if (c >= 0x80)
			c &= 0x3Fu >> more;
		if (i + (size_t)more >= n)
			die("invalid UTF-8");
		for (int k = 1; k <= more; k++)
			c = (c << 6) | (s[i + (size_t)k] & 0x3Fu);
		i += (size_t)more + 1;
		if (c >= 0x10000) {
			c -= 0x10000;
			put16(out, (uint16_t)(0xD800 + (c >> 10)));
			put16(out, (uint16_t)(0xDC00 + (c & 0x3FF)));
		} else {
			put16(out, (uint16_t)c);
		}
	}
}

/* The PST CRC: CRC-32 (reflected 0xEDB88320) with no pre or post
 * inversion, seeded with 0 ([MS-PST] 5.3). */
static uint32_t
crc(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c = 0;

	if (table[1] == 0)
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;

			for (int k = 0; k < 8; k++)
				v = (v & 1) ? 0xEDB88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c;
}

static uint16_t
sig(uint64_t ib, uint64_t bid)
{
	uint32_t v = (uint32_t)(ib ^ bid);

	return (uint16_t)((v >> 16) ^ (v & 0xFFFF));
}

/* ---- the file: blocks placed one after another from 0x4800, skipping
 * the AMap and PMap pages, B-tree pages after them ---- */

struct bbtent {
	uint64_t bid, ib;
	uint16_t cb;
};

struct nbtent {
	uint32_t nid, parent;
	uint64_t data, sub;
};

static struct buf file;
static uint64_t cursor = AMAP_FIRST + 2 * PAGE;
static uint64_t next_bid = 4, next_page_bid = 0x10000;
static struct bbtent *bbt;
static size_t nbbt;
static struct nbtent *nbt;
static size_t nnbt;
static uint8_t *used;   /* one flag per 64-byte slot from AMAP_FIRST */

static bool
is_map_page(uint64_t off)
{
	if (off < AMAP_FIRST)
		return true;
	if ((off - AMAP_FIRST) % AMAP_SPAN == 0)
		return true;
	return off >= AMAP_FIRST + PAGE &&
	    (off - AMAP_FIRST - PAGE) % PMAP_SPAN == 0;
}

static size_t used_slots;

static void
mark(uint64_t off, uint64_t len)
{
	size_t first = (size_t)((off - AMAP_FIRST) / 64);
	size_t last = (size_t)((off + len - AMAP_FIRST + 63) / 64);

	if (last > used_slots) {
		used = xrealloc(used, last);
		memset(used + used_slots, 0, last - used_slots);
		used_slots = last;
	}
	for (size_t i = first; i < last; i++)
		used[i] = 1;
}

/* Room for len bytes at the given alignment that no map page overlaps. */
static uint64_t
place(uint64_t len, uint64_t align)
{
	for (;;) {
		uint64_t at = (cursor + align - 1) / align * align;
		uint64_t p = at / PAGE * PAGE;
		bool clash = false;

		for (; p < at + len; p += PAGE)
			if (is_map_page(p)) {
				clash = true;
				break;
			}
		if (!clash) {
			cursor = at + len;
			if (cursor > FILE_MAX)
				die("store too large");
			reserve(&file, (size_t)cursor);
			mark(at, len);
			return at;
		}
		cursor = p + PAGE;
	}
}

/* One block: data, padding, trailer (cb, wSig, CRC, bid). */
static uint64_t
block(const uint8_t *data, size_t len, bool internal)
{
	uint64_t bid = next_bid | (internal ? 2u : 0u);
	size_t total = (len + 16 + 63) / 64 * 64;
	uint64_t ib;
	uint8_t *t;

	if (len > BLOCK_DATA_MAX)
		die("internal: block of %zu bytes", len);
	next_bid += 4;
	ib = place(total, 64);
	memcpy(file.p + ib, data, len);
	t = file.p + ib + total - 16;
	le16(t, (uint16_t)len);
	le16(t + 2, sig(ib, bid));
	le32(t + 4, crc(data, len));
	le64(t + 8, bid);
	bbt = xrealloc(bbt, (nbbt + 1) * sizeof *bbt);
	bbt[nbbt++] = (struct bbtent){ bid, ib, (uint16_t)len };
	return bid;
}

/* Data in pieces of at most one block each: one block, or an XBLOCK
 * listing them (up to 1021). */
static uint64_t
pieces(const uint8_t *const *p, const size_t *len, size_t n)
{
	struct buf x = { 0 };
	size_t total = 0;
	uint64_t bid;

	if (n == 1)
		return block(p[0], len[0], false);
	if (n > (BLOCK_DATA_MAX - 8) / 8)
		die("value too large (%zu blocks)", n);
	for (size_t i = 0; i < n; i++)
		total += len[i];
	put(&x, (uint8_t[]){ 0x01, 0x01 }, 2);   /* btype XBLOCK, cLevel 1 */
	put16(&x, (uint16_t)n);
	put32(&x, (uint32_t)total);
	for (size_t i = 0; i < n; i++)
		put64(&x, block(p[i], len[i], false));
	bid = block(x.p, x.len, true);
	free(x.p);
	return bid;
}

/* Data cut into pieces of chunk bytes (the last one shorter). */
static uint64_t
data_tree(const uint8_t *data, size_t len, size_t chunk)
{
	size_t n = len == 0 ? 1 : (len + chunk - 1) / chunk;
	const uint8_t **p = xrealloc(NULL, n * sizeof *p);
	size_t *l = xrealloc(NULL, n * sizeof *l);
	uint64_t bid;

	for (size_t i = 0; i < n; i++) {
		p[i] = data + i * chunk;
		l[i] = len - i * chunk < chunk ? len - i * chunk : chunk;
	}
	bid = pieces(p, l, n);
	free(p);
	free(l);
	return bid;
}

/* Spoils a block's bytes (its CRC no longer matches): the HN signature
 * of a heap's first page becomes 0x00. */
static void
damage(uint64_t bid)
{
	for (size_t i = 0; i < nbbt; i++)
		if (bbt[i].bid == bid) {
			file.p[bbt[i].ib + 2] ^= 0xEC;
			return;
		}
	die("internal: no block %#llx", (unsigned long long)bid);
}

static void
node(uint32_t nid, uint32_t parent, uint64_t data, uint64_t sub)
{
	nbt = xrealloc(nbt, (nnbt + 1) * sizeof *nbt);
	nbt[nnbt++] = (struct nbtent){ nid, parent, data, sub };
}

/* ---- subnodes: an SLBLOCK per node that has any ---- */

struct slent {
	uint32_t nid;
	uint64_t data, sub;
};

struct subs {
	struct slent *e;
	size_t n;
	uint32_t next_ltp;   /* index for NID_TYPE_LTP value subnodes */
};

static void
sub_add(struct subs *s, uint32_t nid, uint64_t data, uint64_t sub)
{
	s->e = xrealloc(s->e, (s->n + 1) * sizeof *s->e);
	s->e[s->n++] = (struct slent){ nid, data, sub };
}

static int
cmp_slent(const void *a, const void *b)
{
	uint32_t x = ((const struct slent *)a)->nid;
	uint32_t y = ((const struct slent *)b)->nid;

	return x < y ? -1 : x > y;
}

/* Writes the SLBLOCK (0 when there are no subnodes) and frees the list. */
static uint64_t
sub_write(struct subs *s)
{
	struct buf b = { 0 };
	uint64_t bid = 0;

	if (s->n > 0) {
		if (s->n > (BLOCK_DATA_MAX - 8) / 24)
			die("too many subnodes");
		qsort(s->e, s->n, sizeof *s->e, cmp_slent);
		put(&b, (uint8_t[]){ 0x02, 0x00 }, 2);   /* SLBLOCK, level 0 */
		put16(&b, (uint16_t)s->n);
		put32(&b, 0);
		for (size_t i = 0; i < s->n; i++) {
			put64(&b, s->e[i].nid);
			put64(&b, s->e[i].data);
			put64(&b, s->e[i].sub);
		}
		bid = block(b.p, b.len, true);
	}
	free(b.p);
	free(s->e);
	*s = (struct subs){ 0 };
	return bid;
}

/* A node with its subnodes: data is written before the SLBLOCK (function
 * arguments have no order of evaluation). */
static void
node_subs(uint32_t nid, uint32_t parent, uint64_t data, struct subs *s)
{
	node(nid, parent, data, sub_write(s));
}

/* ---- heap-on-node: pages of one block each; the first starts with the
 * HNHDR, the others with an HNPAGEHDR (or an HNBITMAPHDR at 8, 136, ...);
 * each ends with its HNPAGEMAP ---- */

#define HEAP_PAGE_ALLOCS 2047   /* an HID's index has 11 bits */

struct hpage {
	struct buf b;
	uint16_t off[HEAP_PAGE_ALLOCS];
	size_t n;
};

struct heap {
	struct hpage **pg;
	size_t npg;
};

static void
heap_page(struct heap *h)
{
	struct hpage *pg = xrealloc(NULL, sizeof *pg);
	size_t i = h->npg;

	*pg = (struct hpage){ 0 };
	reserve(&pg->b, i == 0 ? 12 : i % 128 == 8 ? 66 : 2);
	h->pg = xrealloc(h->pg, (h->npg + 1) * sizeof *h->pg);
	h->pg[h->npg++] = pg;
}

static void
heap_init(struct heap *h)
{
	*h = (struct heap){ 0 };
	heap_page(h);
}

static uint32_t
heap_alloc(struct heap *h, const void *p, size_t n)
{
	struct hpage *pg = h->pg[h->npg - 1];

	if (n > HEAP_ALLOC_MAX)
		die("internal: heap allocation of %zu bytes", n);
	/* Room for the bytes, the alignment byte and the grown page map? */
	if (pg->n == HEAP_PAGE_ALLOCS ||
	    pg->b.len + n + 1 + 4 + 2 * (pg->n + 2) > BLOCK_DATA_MAX) {
		if (h->npg == 0xFFFF)
			die("heap too large");
		heap_page(h);
		pg = h->pg[h->npg - 1];
	}
	pg->off[pg->n++] = (uint16_t)pg->b.len;
	put(&pg->b, p, n);
	/* HID: block index, allocation index from 1, type 0 */
	return (uint32_t)(h->npg - 1) << 16 | (uint32_t)pg->n << 5;
}

static uint8_t *
heap_at(struct heap *h, uint32_t hid)
{
	struct hpage *pg = h->pg[hid >> 16];

	return pg->b.p + pg->off[((hid >> 5) & 0x7FF) - 1];
}

/* A value in the heap or, when large, in a subnode: its HNID. */
static uint32_t
heap_value(struct heap *h, struct subs *s, const void *p, size_t n)
{
	uint32_t nid;

	if (n <= HEAP_ALLOC_MAX)
		return heap_alloc(h, p, n);
	nid = ((0x100 + s->next_ltp++) << 5) | 0x1F;   /* NID_TYPE_LTP */
	sub_add(s, nid, data_tree(p, n, BLOCK_DATA_MAX), 0);
	return nid;
}

/* Finishes the pages (client signature and user root in the first) and
 * writes them, one block each. */
static uint64_t
heap_write(struct heap *h, uint8_t client, uint32_t root)
{
	const uint8_t **p = xrealloc(NULL, h->npg * sizeof *p);
	size_t *l = xrealloc(NULL, h->npg * sizeof *l);
	uint64_t bid;

	for (size_t i = 0; i < h->npg; i++) {
		struct hpage *pg = h->pg[i];
		size_t end = pg->b.len, map;

		/* The page map is 2-byte aligned; the last allocation still
		 * ends where its bytes do (readers take sizes from the
		 * offsets). */
		if (pg->b.len % 2)
			put(&pg->b, "", 1);
		map = pg->b.len;
		put16(&pg->b, (uint16_t)pg->n);
		put16(&pg->b, 0);
		for (size_t k = 0; k < pg->n; k++)
			put16(&pg->b, pg->off[k]);
		put16(&pg->b, (uint16_t)end);
		le16(pg->b.p, (uint16_t)map);
		if (i == 0) {
			pg->b.p[2] = 0xEC;
			pg->b.p[3] = client;
			le32(pg->b.p + 4, root);
		}
		p[i] = pg->b.p;
		l[i] = pg->b.len;
	}
	bid = pieces(p, l, h->npg);
	for (size_t i = 0; i < h->npg; i++) {
		free(h->pg[i]->b.p);
		free(h->pg[i]);
	}
	free(h->pg);
	free(p);
	free(l);
	return bid;
}

/* A BTH of n records (key, data) already sorted by key: its header's
 * HID.  Leaves too large for one allocation get index levels above them
 * (key of a child's first record, the child's HID). */
static uint32_t
bth(struct heap *h, uint8_t cbkey, uint8_t cbent, const uint8_t *recs,
    size_t n)
{
	uint8_t hdr[8] = { 0xB5, cbkey, cbent, 0 };
	uint32_t hid = heap_alloc(h, hdr, sizeof hdr);
	size_t size = (size_t)cbkey + cbent;
	struct buf cur = { 0 };
	uint8_t levels = 0;

	put(&cur, recs, n * size);
	while (n * size > HEAP_ALLOC_MAX) {
		size_t per = HEAP_ALLOC_MAX / size;
		struct buf up = { 0 };
		size_t k = 0;

		for (size_t i = 0; i < n; i += per, k++) {
			size_t m = n - i < per ? n - i : per;

			put(&up, cur.p + i * size, cbkey);
			put32(&up, heap_alloc(h, cur.p + i * size, m * size));
		}
		free(cur.p);
		cur = up;
		n = k;
		size = (size_t)cbkey + 4;
		levels++;
	}
	heap_at(h, hid)[3] = levels;
	if (n > 0)
		le32(heap_at(h, hid) + 4, heap_alloc(h, cur.p, n * size));
	free(cur.p);
	return hid;
}

/* ---- property values ---- */

struct prop {
	uint32_t tag;   /* id << 16 | type */
	struct buf v;   /* the value's bytes */
};

struct props {
	struct prop *p;
	size_t n;
};

static void
prop_bytes(struct props *ps, uint32_t tag, const void *p, size_t n)
{
	ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
	ps->p[ps->n] = (struct prop){ tag, { 0 } };
	put(&ps->p[ps->n].v, p, n);
	ps->n++;
}

static void
prop_str(struct props *ps, uint16_t id, const char *s)
{
	struct buf u = { 0 };

	utf16(&u, (const uint8_t *)s, strlen(s));
	prop_bytes(ps, (uint32_t)id << 16 | PT_UNICODE, u.p, u.len);
	free(u.p);
}

static void
prop_long(struct props *ps, uint16_t id, uint32_t v)
{
	uint8_t x[4];

	le32(x, v);
	prop_bytes(ps, (uint32_t)id << 16 | PT_LONG, x, 4);
}

static void
prop_bool(struct props *ps, uint16_t id, bool v)
{
	uint8_t x = v;

	prop_bytes(ps, (uint32_t)id << 16 | PT_BOOLEAN, &x, 1);
}

#define NO_DATE INT64_MIN

static void
prop_time(struct props *ps, uint16_t id, int64_t t)
{
	uint8_t x[8];

	if (t == NO_DATE)
		return;
	/* FILETIME: 100 ns since 1601-01-01 */
	le64(x, (uint64_t)(t + 11644473600LL) * 10000000u);
	prop_bytes(ps, (uint32_t)id << 16 | PT_SYSTIME, x, 8);
}

static void
props_free(struct props *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->p[i].v.p);
	free(ps->p);
	*ps = (struct props){ 0 };
}

static int
cmp_prop(const void *a, const void *b)
{
	uint32_t x = ((const struct prop *)a)->tag;
	uint32_t y = ((const struct prop *)b)->tag;

	return x < y ? -1 : x > y;
}

static bool
inline_type(uint16_t type)
{
	return type == PT_LONG || type == PT_BOOLEAN;
}

/* A property context: a BTH of (id, type, value or HNID) records.
 * Returns the block id; large values are added to s. */
static uint64_t
pc_write(struct props *ps, struct subs *s)
{
	struct heap h;
	struct buf recs = { 0 };
	uint32_t hid;

	heap_init(&h);
	qsort(ps->p, ps->n, sizeof *ps->p, cmp_prop);
	for (size_t i = 0; i < ps->n; i++) {
		struct prop *p = &ps->p[i];
		uint16_t type = (uint16_t)p->tag;
		uint8_t rec[8];

		le16(rec, (uint16_t)(p->tag >> 16));
		le16(rec + 2, type);
		if (inline_type(type)) {
			memset(rec + 4, 0, 4);
			memcpy(rec + 4, p->v.p, p->v.len);
		} else {
			le32(rec + 4, heap_value(&h, s, p->v.p, p->v.len));
		}
		put(&recs, rec, sizeof rec);
	}
	hid = bth(&h, 2, 6, recs.p, ps->n);
	free(recs.p);
	props_free(ps);
	return heap_write(&h, 0xBC, hid);
}

/* ---- table contexts ---- */

#define TAG_ROWID 0x67F20003u
#define TAG_ROWVER 0x67F30003u
#define MAXCOLS 24

struct table {
	uint32_t tags[MAXCOLS];   /* tags[0], [1]: row id and version */
	size_t ncols;
	struct props *rows;       /* each row's values, by tag */
	uint32_t *rowids;
	size_t nrows;
};

static void
table_init(struct table *t, const uint32_t *tags, size_t n)
{
	*t = (struct table){ 0 };
	t->tags[0] = TAG_ROWID;
	t->tags[1] = TAG_ROWVER;
	if (n + 2 > MAXCOLS)
		die("internal: too many columns");
	memcpy(t->tags + 2, tags, n * sizeof *tags);
	t->ncols = n + 2;
}

/* Adds a row; takes the values (a property list) over. */
static void
table_row(struct table *t, uint32_t rowid, struct props *values)
{
	t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
	t->rowids = xrealloc(t->rowids, (t->nrows + 1) * sizeof *t->rowids);
	t->rows[t->nrows] = *values;
	t->rowids[t->nrows++] = rowid;
	*values = (struct props){ 0 };
}

static size_t
cell_size(uint16_t type)
{
	switch (type) {
	case PT_BOOLEAN:
		return 1;
	case PT_SYSTIME:
		return 8;
	default:
		return 4;   /* PT_LONG, or an HNID for variable sizes */
	}
}

static int
cmp_tag(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A table context: TCINFO, row index BTH, row matrix in the heap. */
static uint64_t
tc_write(struct table *t, struct subs *s)
{
	struct heap h;
	struct buf info = { 0 }, idx = { 0 }, matrix = { 0 };
	uint16_t ib[MAXCOLS];
	uint16_t end4, end2, end1, size;
	size_t cebsize = (t->ncols + 7) / 8;
	uint32_t sorted[MAXCOLS];
	uint32_t hidx, hinfo, rows = 0;

	heap_init(&h);
	/* Row layout: 8- and 4-byte cells (row id and version first), then
	 * 2-, then 1-byte cells, then the cell existence bitmap. */
	size = 0;
	for (size_t i = 0; i < t->ncols; i++)
		if (cell_size((uint16_t)t->tags[i]) >= 4) {
			ib[i] = size;
			size = (uint16_t)(size + cell_size((uint16_t)t->tags[i]));
		}
	end4 = size;
	end2 = size;   /* no 2-byte cells */
	for (size_t i = 0; i < t->ncols; i++)
		if (cell_size((uint16_t)t->tags[i]) == 1)
			ib[i] = size++;
	end1 = size;
	size = (uint16_t)(size + cebsize);

	for (size_t r = 0; r < t->nrows; r++) {
		size_t at = matrix.len;

		reserve(&matrix, at + size);
		for (size_t c = 0; c < t->ncols; c++) {
			uint8_t *cell = matrix.p + at + ib[c];
			const struct prop *v = NULL;
			uint16_t type = (uint16_t)t->tags[c];

			if (c == 0)
				le32(cell, t->rowids[r]);
			else if (c == 1)
				le32(cell, 1);
			for (size_t k = 0; c >= 2 && k < t->rows[r].n; k++)
				if (t->rows[r].p[k].tag == t->tags[c])
					v = &t->rows[r].p[k];
			if (c >= 2 && v == NULL)
				continue;
			if (c >= 2 && (inline_type(type) || type == PT_SYSTIME))
				memcpy(cell, v->v.p, v->v.len);
			else if (c >= 2)
				le32(cell, heap_value(&h, s, v->v.p, v->v.len));
			matrix.p[at + end1 + c / 8] |= (uint8_t)(0x80 >> (c % 8));
		}
	}

	/* Row index: row id -> row number, sorted by row id. */
	{
		uint32_t (*pairs)[2] = xrealloc(NULL, (t->nrows + 1) * sizeof *pairs);

		for (size_t r = 0; r < t->nrows; r++) {
			pairs[r][0] = t->rowids[r];
			pairs[r][1] = (uint32_t)r;
		}
		qsort(pairs, t->nrows, sizeof *pairs, cmp_tag);
		for (size_t r = 0; r < t->nrows; r++) {
			put32(&idx, pairs[r][0]);
			put32(&idx, pairs[r][1]);
		}
		free(pairs);
	}
	hidx = bth(&h, 4, 4, idx.p, t->nrows);
	/* Rows in a subnode do not span blocks: whole rows per block. */
	if (matrix.len > HEAP_ALLOC_MAX) {
		rows = ((0x100 + s->next_ltp++) << 5) | 0x1F;
		sub_add(s, rows, data_tree(matrix.p, matrix.len,
		    BLOCK_DATA_MAX / size * size), 0);
	} else if (matrix.len > 0) {
		rows = heap_alloc(&h, matrix.p, matrix.len);
	}

	put(&info, (uint8_t[]){ 0x7C, (uint8_t)t->ncols }, 2);
	put16(&info, end4);
	put16(&info, end2);
	put16(&info, end1);
	put16(&info, size);
	put32(&info, hidx);
	put32(&info, rows);
	put32(&info, 0);
	/* Column descriptions sorted by tag, each with its offset and bit. */
	memcpy(sorted, t->tags, t->ncols * sizeof *sorted);
	qsort(sorted, t->ncols, sizeof *sorted, cmp_tag);
	for (size_t i = 0; i < t->ncols; i++) {
		size_t c = 0;

		while (t->tags[c] != sorted[i])
			c++;
		put32(&info, sorted[i]);
		put16(&info, ib[c]);
		put(&info, (uint8_t[]){ (uint8_t)cell_size((uint16_t)sorted[i]),
		    (uint8_t)c }, 2);
	}
	hinfo = heap_alloc(&h, info.p, info.len);

	free(info.p);
	free(idx.p);
	free(matrix.p);
	for (size_t r = 0; r < t->nrows; r++)
		props_free(&t->rows[r]);
	free(t->rows);
	free(t->rowids);
	return heap_write(&h, 0x7C, hinfo);
}

/* ---- the model: folders, messages, attachments ---- */

struct message;

struct attach {
	char *name;
	struct buf data;
	struct message *msg;   /* an embedded message, or NULL */
};

struct recip {
	char *name, *addr;
	uint32_t type;   /* MAPI_TO 1, MAPI_CC 2 */
};

struct message {
	char *subject, *from, *message_id;
	bool corrupt;
	int64_t date;
	struct buf body, html, rtf;
	bool has_body, has_html, has_rtf;
	struct recip *to;
	size_t nto;
	struct attach *att;
	size_t natt;
	uint32_t nid;
};

struct folder {
	char *name;
	int parent;   /* index, -1 for the top of the store */
	uint32_t nid;
	struct message *msg;
	size_t nmsg;
};

static struct folder *folders;
static size_t nfolders;

static const uint8_t store_uid[16] = {
	0x70, 0x73, 0x74, 0x67, 0x65, 0x6E, 0x2D, 0x74,
	0x65, 0x73, 0x74, 0x2D, 0x75, 0x69, 0x64, 0x31,
};

#define NID_STORE 0x21u
#define NID_NAMEMAP 0x61u
#define NID_ROOT 0x122u
#define NID_TOP 0x8022u
#define NID_RECIPIENTS 0x692u
#define NID_ATTACHMENTS 0x671u

static const uint32_t hier_cols[] = {
	0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x3613001F,
};
static const uint32_t contents_cols[] = {
	0x001A001F, 0x0037001F, 0x00390040, 0x0042001F, 0x0E04001F,
	0x0E060040, 0x0E070003, 0x0E080003,
};
static const uint32_t recip_cols[] = {
	0x0C150003, 0x30000003, 0x3001001F, 0x3002001F, 0x3003001F,
};
static const uint32_t attach_cols[] = {
	0x0E200003, 0x3704001F, 0x37050003, 0x3707001F, 0x370B0003,
};

/*
 * RTF as [MS-OXRTFCP] compressed RTF whose every token is a literal: a
 * control byte 0 before each 8 bytes.  The header: the size of what
 * follows its first field, the raw size, "LZFu", and the CRC of the
 * compressed bytes (CRC-32's table, start 0, no final inversion; 2.1.3.2).
 */
static void
lzfu_literals(struct buf *out, const unsigned char *rtf, size_t len)
{
	unsigned char *c;
	size_t n = len + (len + 7) / 8, k = 0;
	uint32_t crc = 0;

	c = xrealloc(NULL, 16 + n);
	for (size_t i = 0; i < len; i++) {
		if (i % 8 == 0)
			c[16 + k++] = 0;
		c[16 + k++] = rtf[i];
	}
	for (size_t i = 0; i < k; i++) {
		crc ^= c[16 + i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	le32(c, (uint32_t)(k + 12));
	le32(c + 4, (uint32_t)len);
	le32(c + 8, 0x75465A4Cu);  /* "LZFu" */
	le32(c + 12, crc);
	put(out, c, 16 + k);
	free(c);
}

static uint32_t
message_size(const struct message *m)
{
	size_t n = m->body.len * 2 + m->html.len + m->rtf.len * 2 + 256;

	for (size_t i = 0; i < m->natt; i++)
		n += m->att[i].msg ? message_size(m->att[i].msg) : m->att[i].data.len;
	return (uint32_t)n;
}

/* PR_DISPLAY_TO or _CC: the names of the recipients of that type. */
static void
display_names(struct props *ps, uint16_t id, const struct message *m,
    uint32_t type)
{
	struct buf s = { 0 };

	for (size_t i = 0; i < m->nto; i++) {
		if (m->to[i].type != type)
			continue;
		if (s.len > 0)
			put(&s, "; ", 2);
		put(&s, m->to[i].name, strlen(m->to[i].name));
	}
	if (s.len > 0) {
		put(&s, "", 1);
		prop_str(ps, id, (char *)s.p);
	}
	free(s.p);
}

/* The properties a message's contents-table row and its PC share. */
static void
message_summary(struct props *ps, const struct message *m)
{
	prop_str(ps, 0x001A, "IPM.Note");
	if (m->subject[0] != '\0')
		prop_str(ps, 0x0037, m->subject);
	prop_time(ps, 0x0039, m->date);
	prop_str(ps, 0x0042, m->from);
	display_names(ps, 0x0E04, m, 1);
	prop_time(ps, 0x0E06, m->date);
	prop_long(ps, 0x0E07, 0x01 | (m->natt > 0 ? 0x10 : 0));   /* read, has attachment */
	prop_long(ps, 0x0E08, message_size(m));
}

static void
attachment_summary(struct props *ps, const struct attach *a)
{
	prop_long(ps, 0x0E20, a->msg ? message_size(a->msg) : (uint32_t)a->data.len);
	if (a->name[0] != '\0') {
		prop_str(ps, 0x3704, a->name);
		prop_str(ps, 0x3707, a->name);
	}
	prop_long(ps, 0x3705, a->msg ? 5 : 1);   /* ATTACH_EMBEDDED_MSG, _BY_VALUE */
	prop_long(ps, 0x370B, 0xFFFFFFFFu);
}

/* A message's PC and subnodes: its data and SLBLOCK block ids. */
static void
message_write(struct message *m, uint64_t *data_bid, uint64_t *sub_bid)
{
	struct props ps = { 0 };
	struct subs s = { 0 };
	struct table t;
	uint64_t data;

	/* Recipients */
	table_init(&t, recip_cols, sizeof recip_cols / sizeof *recip_cols);
	for (size_t i = 0; i < m->nto; i++) {
		prop_long(&ps, 0x0C15, m->to[i].type);
		prop_long(&ps, 0x3000, (uint32_t)i);
		prop_str(&ps, 0x3001, m->to[i].name);
		prop_str(&ps, 0x3002, "SMTP");
		prop_str(&ps, 0x3003, m->to[i].addr);
		table_row(&t, (uint32_t)i, &ps);
	}
	data = tc_write(&t, &s);
	sub_add(&s, NID_RECIPIENTS, data, 0);

	/* Attachments: the table, then one PC each as a subnode. */
	if (m->natt > 0) {
		table_init(&t, attach_cols, sizeof attach_cols / sizeof *attach_cols);
		for (size_t i = 0; i < m->natt; i++) {
			struct attach *a = &m->att[i];
			struct subs as = { 0 };
			uint32_t anid = ((0x400u + (uint32_t)i) << 5) | 0x05;
			uint64_t adata, asub;

			attachment_summary(&ps, a);
			table_row(&t, anid, &ps);

			attachment_summary(&ps, a);
			if (a->msg != NULL) {
				/* PR_ATTACH_DATA_OBJ: the subnode holding the
				 * message, and its size */
				uint32_t mnid = ((0x600u + (uint32_t)i) << 5) | 0x04;
				uint64_t mdata, msub;
				uint8_t obj[8];

				message_write(a->msg, &mdata, &msub);
				sub_add(&as, mnid, mdata, msub);
				le32(obj, mnid);
				le32(obj + 4, message_size(a->msg));
				prop_bytes(&ps, 0x37010000u | PT_OBJECT, obj, 8);
				if (a->msg->subject[0] != '\0')
					prop_str(&ps, 0x3001, a->msg->subject);
			} else {
				if (a->name[0] != '\0')
					prop_str(&ps, 0x3001, a->name);
				prop_bytes(&ps, 0x37010000u | PT_BINARY, a->data.p,
				    a->data.len);
				prop_str(&ps, 0x370E, "application/octet-stream");
			}
			adata = pc_write(&ps, &as);
			asub = sub_write(&as);
			sub_add(&s, anid, adata, asub);
		}
		data = tc_write(&t, &s);
		sub_add(&s, NID_ATTACHMENTS, data, 0);
	}

	message_summary(&ps, m);
	prop_str(&ps, 0x0C1A, m->from);
	display_names(&ps, 0x0E03, m, 2);
	if (m->message_id != NULL)
		prop_str(&ps, 0x1035, m->message_id);
	prop_bool(&ps, 0x0E1B, m->natt > 0);
	if (m->has_body) {
		struct buf u = { 0 };

		utf16(&u, m->body.p, m->body.len);
		prop_bytes(&ps, 0x10000000u | PT_UNICODE, u.p, u.len);
		free(u.p);
	}
	if (m->has_html)
		prop_bytes(&ps, 0x10130000u | PT_BINARY, m->html.p, m->html.len);
	if (m->has_rtf) {
		struct buf c = { 0 };

		lzfu_literals(&c, m->rtf.p, m->rtf.len);
		prop_bytes(&ps, 0x10090000u | PT_BINARY, c.p, c.len);
		free(c.p);
	}
	prop_time(&ps, 0x3007, m->date);
	prop_time(&ps, 0x3008, m->date);
	data = pc_write(&ps, &s);
	if (m->corrupt)
		damage(data);
	*data_bid = data;
	*sub_bid = sub_write(&s);
}

static void
write_message(struct message *m, uint32_t parent)
{
	uint64_t data, sub;

	message_write(m, &data, &sub);
	node(m->nid, parent, data, sub);
}

static size_t
children(int parent)
{
	size_t n = 0;

	for (size_t i = 0; i < nfolders; i++)
		n += folders[i].parent == parent;
	return n;
}

/* A folder's PC and its three tables.  parent_index -2 is the root
 * folder, -1 the top of the store, else the index of a folder. */
static void
write_folder(uint32_t nid, uint32_t parent, const char *name, int self,
    const struct message *msg, size_t nmsg)
{
	struct props ps = { 0 };
	struct subs none = { 0 };
	struct table t;
	size_t nsub;

	if (self == -2)
		nsub = 1;
	else
		nsub = children(self);

	if (name[0] != '\0')
		prop_str(&ps, 0x3001, name);
	prop_long(&ps, 0x3602, (uint32_t)nmsg);
	prop_long(&ps, 0x3603, 0);
	prop_bool(&ps, 0x360A, nsub > 0);
	if (self >= 0)
		prop_str(&ps, 0x3613, "IPF.Note");
	node_subs(nid, parent, pc_write(&ps, &none), &none);

	table_init(&t, hier_cols, sizeof hier_cols / sizeof *hier_cols);
	if (self == -2) {
		prop_str(&ps, 0x3001, "Top of Personal Folders");
		prop_long(&ps, 0x3602, 0);
		prop_long(&ps, 0x3603, 0);
		prop_bool(&ps, 0x360A, nfolders > 0);
		table_row(&t, NID_TOP, &ps);
	} else {
		for (size_t i = 0; i < nfolders; i++) {
			if (folders[i].parent != self)
				continue;
			prop_str(&ps, 0x3001, folders[i].name);
			prop_long(&ps, 0x3602, (uint32_t)folders[i].nmsg);
			prop_long(&ps, 0x3603, 0);
			prop_bool(&ps, 0x360A, children((int)i) > 0);
			prop_str(&ps, 0x3613, "IPF.Note");
			table_row(&t, folders[i].nid, &ps);
		}
	}
	node_subs(nid + 11, 0, tc_write(&t, &none), &none);

	table_init(&t, contents_cols, sizeof contents_cols / sizeof *contents_cols);
	for (size_t i = 0; i < nmsg; i++) {
		message_summary(&ps, &msg[i]);
		table_row(&t, msg[i].nid, &ps);
	}
	node_subs(nid + 12, 0, tc_write(&t, &none), &none);

	table_init(&t, contents_cols, sizeof contents_cols / sizeof *contents_cols);
	node_subs(nid + 13, 0, tc_write(&t, &none), &none);
}

static void
write_store(const char *display)
{
	struct props ps = { 0 };
	struct subs none = { 0 };
	uint8_t entry[24] = { 0 };
	static const uint8_t psetid_common[16] = {
		0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
		0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
	};
	static const uint8_t nameid[8] = { 0x06, 0x85, 0, 0, 0x06, 0, 0, 0 };
	static const uint8_t strings[4] = { 0 };

	memcpy(entry + 4, store_uid, 16);
	le32(entry + 20, NID_TOP);
	prop_bytes(&ps, 0x0FF90000u | PT_BINARY, store_uid, 16);
	prop_str(&ps, 0x3001, display);
	prop_long(&ps, 0x35DF, 0x1);   /* FOLDER_IPM_SUBTREE_VALID */
	prop_bytes(&ps, 0x35E00000u | PT_BINARY, entry, sizeof entry);
	node_subs(NID_STORE, 0, pc_write(&ps, &none), &none);

	/* A name-to-id map with one numeric named property (libpff refuses a
	 * map with none): PidLidPrivate, {00062008-...-46} PSETID_Common, the
	 * first GUID of the GUID stream (wGuid 3 << 1), mapped to 0x8000.  No
	 * hash buckets: libpff reads the entry stream only. */
	prop_long(&ps, 0x0001, 251);
	prop_bytes(&ps, 0x00020000u | PT_BINARY, psetid_common, 16);
	prop_bytes(&ps, 0x00030000u | PT_BINARY, nameid, sizeof nameid);
	prop_bytes(&ps, 0x00040000u | PT_BINARY, strings, sizeof strings);
	node_subs(NID_NAMEMAP, 0, pc_write(&ps, &none), &none);
}

/* ---- B-trees, maps and the header ---- */

static int
cmp_nbt(const void *a, const void *b)
{
	uint32_t x = ((const struct nbtent *)a)->nid;
	uint32_t y = ((const struct nbtent *)b)->nid;

	return x < y ? -1 : x > y;
}

static void
page_trailer(uint64_t ib, uint8_t type, uint16_t wsig, uint64_t bid)
{
	uint8_t *p = file.p + ib;

	p[496] = type;
	p[497] = type;
	le16(p + 498, wsig);
	le32(p + 500, crc(p, 496));
	le64(p + 504, bid);
}

/* Writes a B-tree of n entries of entsize bytes (key first): leaves,
 * then levels of (key, BREF) entries until one page.  Returns the root's
 * BREF in bid/ib. */
static void
btree(uint8_t type, const uint8_t *ents, size_t n, size_t entsize,
    uint64_t *root_bid, uint64_t *root_ib)
{
	size_t per = 488 / entsize;
	uint8_t level = 0;
	struct buf cur = { 0 };

	put(&cur, ents, n * entsize);
	for (;;) {
		struct buf up = { 0 };
		size_t npages = n == 0 ? 1 : (n + per - 1) / per;

		for (size_t pg = 0; pg < npages; pg++) {
			size_t first = pg * per;
			size_t k = n - first < per ? n - first : per;
			uint64_t ib = place(PAGE, PAGE);
			uint64_t bid = next_page_bid;
			uint8_t *p = file.p + ib;

			next_page_bid += 4;
			if (n == 0)
				k = 0;
			memcpy(p, cur.p + first * entsize, k * entsize);
			p[488] = (uint8_t)k;
			p[489] = (uint8_t)per;
			p[490] = (uint8_t)entsize;
			p[491] = level;
			page_trailer(ib, type, sig(ib, bid), bid);
			if (npages == 1) {
				*root_bid = bid;
				*root_ib = ib;
				free(cur.p);
				return;
			}
			put(&up, cur.p + first * entsize, 8);   /* first key */
			put64(&up, bid);
			put64(&up, ib);
		}
		free(cur.p);
		cur = up;
		n = npages;
		entsize = 24;
		per = 488 / entsize;
		level++;
	}
}

static void
write_maps(void)
{
	uint64_t end = (cursor + PAGE - 1) / PAGE * PAGE;
	uint64_t amap;

	reserve(&file, (size_t)end);
	for (amap = AMAP_FIRST; amap < end; amap += AMAP_SPAN) {
		uint8_t *p = file.p + amap;

		memset(p, 0, 496);
		mark(amap, PAGE);
		if ((amap - AMAP_FIRST) % PMAP_SPAN == 0)
			mark(amap + PAGE, PAGE);
		for (size_t bit = 0; bit < 496 * 8; bit++) {
			size_t slot = (size_t)((amap - AMAP_FIRST) / 64) + bit;

			if (slot < used_slots && used[slot])
				p[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		}
		page_trailer(amap, PT_AMAP, 0, amap);
		if ((amap - AMAP_FIRST) % PMAP_SPAN == 0) {
			memset(file.p + amap + PAGE, 0xFF, 496);
			page_trailer(amap + PAGE, PT_PMAP, 0, amap + PAGE);
		}
	}
}

static void
write_header(uint64_t nbt_bid, uint64_t nbt_ib, uint64_t bbt_bid,
    uint64_t bbt_ib)
{
	uint8_t *h = file.p;
	uint64_t eof = file.len, last_amap, free_bytes = 0;

	last_amap = AMAP_FIRST + (eof - AMAP_FIRST - 1) / AMAP_SPAN * AMAP_SPAN;
	for (size_t i = 0; i < (size_t)((eof - AMAP_FIRST) / 64); i++)
		if (i >= used_slots || !used[i])
			free_bytes += 64;
	memcpy(h, "!BDN", 4);
	memcpy(h + 8, "SM", 2);
	le16(h + 10, 23);   /* Unicode */
	le16(h + 12, 19);
	h[14] = 1;
	h[15] = 1;
	le64(h + 32, next_page_bid);
	le32(h + 40, 1);
	for (int t = 0; t < 32; t++)
		le32(h + 44 + 4 * t, (0x10000u << 5) | (uint32_t)t);
	le64(h + 184, eof);
	le64(h + 192, last_amap);
	le64(h + 200, free_bytes);
	le64(h + 208, 0);
	le64(h + 216, nbt_bid);
	le64(h + 224, nbt_ib);
	le64(h + 232, bbt_bid);
	le64(h + 240, bbt_ib);
	h[248] = 2;   /* VALID_AMAP2 */
	memset(h + 256, 0xFF, 256);   /* deprecated FMap and FPMap */
	h[512] = 0x80;
	h[513] = 0;   /* NDB_CRYPT_NONE */
	le64(h + 516, next_bid);
	le32(h + 4, crc(h + 8, 471));
	le32(h + 524, crc(h + 8, 516));
}

static void
write_pst(const char *path, const char *store_name)
{
	uint64_t nbt_bid, nbt_ib, bbt_bid, bbt_ib;
	struct buf ents = { 0 };
	FILE *f;

	reserve(&file, AMAP_FIRST + 2 * PAGE);
	write_store(store_name);
	write_folder(NID_ROOT, NID_ROOT, "", -2, NULL, 0);
	write_folder(NID_TOP, NID_ROOT, "Top of Personal Folders", -1, NULL, 0);
	for (size_t i = 0; i < nfolders; i++) {
		struct folder *fo = &folders[i];
		uint32_t parent = fo->parent < 0 ? NID_TOP : folders[fo->parent].nid;

		for (size_t k = 0; k < fo->nmsg; k++)
			write_message(&fo->msg[k], fo->nid);
		write_folder(fo->nid, parent, fo->name, (int)i, fo->msg, fo->nmsg);
	}

	/* The BBT's own pages and the NBT's are not in the BBT. */
	qsort(nbt, nnbt, sizeof *nbt, cmp_nbt);
	for (size_t i = 0; i < nnbt; i++) {
		put64(&ents, nbt[i].nid);
		put64(&ents, nbt[i].data);
		put64(&ents, nbt[i].sub);
		put32(&ents, nbt[i].parent);
		put32(&ents, 0);
	}
	btree(PT_NBT, ents.p, nnbt, 32, &nbt_bid, &nbt_ib);
	ents.len = 0;
	for (size_t i = 0; i < nbbt; i++) {
		put64(&ents, bbt[i].bid);
		put64(&ents, bbt[i].ib);
		put16(&ents, bbt[i].cb);
		put16(&ents, 2);   /* cRef */
		put32(&ents, 0);
	}
	btree(PT_BBT, ents.p, nbbt, 24, &bbt_bid, &bbt_ib);
	free(ents.p);

	write_maps();
	write_header(nbt_bid, nbt_ib, bbt_bid, bbt_ib);

	f = fopen(path, "wb");
	if (f == NULL || fwrite(file.p, 1, file.len, f) != file.len ||
	    fclose(f) != 0)
		die("%s: cannot write", path);
}

/* ---- the command line ---- */

static int64_t
parse_date(const char *s)
{
	int y, mo, d, h, mi, sec;
	char z;
	int64_t days;

	if (strcmp(s, "-") == 0)
		return NO_DATE;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec,
	    &z) != 7 || z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    y < 1601)
		die("%s: not a date like 2026-03-01T09:00:00Z", s);
	/* days from civil (proleptic Gregorian) */
	{
		int yy = y - (mo <= 2);
		int era = yy / 400;
		int yoe = yy - era * 400;
		int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (int64_t)era * 146097 + doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + sec;
}

static int
find_folder(const char *path)
{
	int parent = -1;
	const char *p = path;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		int found = -1;

		if (len == 0)
			die("%s: empty folder name", path);
		for (size_t i = 0; i < nfolders; i++)
			if (folders[i].parent == parent &&
			    strlen(folders[i].name) == len &&
			    memcmp(folders[i].name, p, len) == 0)
				found = (int)i;
		if (found < 0) {
			folders = xrealloc(folders, (nfolders + 1) * sizeof *folders);
			folders[nfolders] = (struct folder){ 0 };
			folders[nfolders].name = xrealloc(NULL, len + 1);
			memcpy(folders[nfolders].name, p, len);
			folders[nfolders].name[len] = '\0';
			folders[nfolders].parent = parent;
			/* 0x8042, 0x8062, ...: NID_TYPE_NORMAL_FOLDER */
			folders[nfolders].nid = ((0x402u + (uint32_t)nfolders) << 5) | 0x02;
			found = (int)nfolders++;
		}
		if (slash == NULL)
			return found;
		parent = found;
		p = slash + 1;
	}
}

/* A message from SUBJECT DATE BODYFILE. */
static void
new_message(struct message *m, char **arg)
{
	*m = (struct message){ 0 };
	m->subject = arg[0];
	m->date = parse_date(arg[1]);
	m->from = "Test Sender";
	if (strcmp(arg[2], "-") != 0) {
		read_file(arg[2], &m->body);
		m->has_body = true;
	}
}

static void
usage(void)
{
	fputs("usage: pstgen OUT.pst [--store NAME] [--folder PATH]\n"
	    "              [--message SUBJECT DATE BODYFILE [--from NAME]\n"
	    "               [--to NAME [ADDRESS]]... [--cc NAME [ADDRESS]]...\n"
	    "               [--message-id ID] [--html FILE]\n"
	    "               [--attach NAME FILE]... [--embed SUBJECT DATE BODYFILE]...\n"
	    "               [--corrupt]]...\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *store = "Personal Folders";
	struct message *last = NULL;
	int folder = -1;
	uint32_t next_msg = 0x10001;

	if (argc < 2 || argv[1][0] == '-')
		usage();
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int left = argc - i - 1;

		if (strcmp(a, "--store") == 0 && left >= 1) {
			store = argv[++i];
		} else if (strcmp(a, "--folder") == 0 && left >= 1) {
			folder = find_folder(argv[++i]);
		} else if (strcmp(a, "--message") == 0 && left >= 3) {
			struct folder *f;

			if (folder < 0)
				folder = find_folder("Inbox");
			f = &folders[folder];
			f->msg = xrealloc(f->msg, (f->nmsg + 1) * sizeof *f->msg);
			last = &f->msg[f->nmsg++];
			new_message(last, argv + i + 1);
			last->nid = (next_msg++ << 5) | 0x04;   /* NID_TYPE_NORMAL_MESSAGE */
			i += 3;
		} else if (last == NULL) {
			usage();
		} else if (strcmp(a, "--from") == 0 && left >= 1) {
			last->from = argv[++i];
		} else if ((strcmp(a, "--to") == 0 || strcmp(a, "--cc") == 0) &&
		    left >= 1) {
			struct recip r = { argv[i + 1], argv[i + 1], a[2] == 't' ? 1 : 2 };

			if (left >= 2 && argv[i + 2][0] != '-') {
				r.addr = argv[i + 2];
				i++;
			}
			i++;
			last->to = xrealloc(last->to, (last->nto + 1) * sizeof *last->to);
			last->to[last->nto++] = r;
		} else if (strcmp(a, "--message-id") == 0 && left >= 1) {
			last->message_id = argv[++i];
		} else if (strcmp(a, "--corrupt") == 0) {
			last->corrupt = true;
		} else if (strcmp(a, "--rtf") == 0 && left >= 1) {
			read_file(argv[++i], &last->rtf);
			last->has_rtf = true;
		} else if (strcmp(a, "--html") == 0 && left >= 1) {
			read_file(argv[++i], &last->html);
			last->has_html = true;
		} else if (strcmp(a, "--attach") == 0 && left >= 2) {
			struct attach *t;

			last->att = xrealloc(last->att, (last->natt + 1) * sizeof *last->att);
			t = &last->att[last->natt++];
			*t = (struct attach){ argv[i + 1], { 0 }, NULL };
			read_file(argv[i + 2], &t->data);
			i += 2;
		} else if (strcmp(a, "--embed") == 0 && left >= 3) {
			struct message *e = xrealloc(NULL, sizeof *e);

			new_message(e, argv + i + 1);
			last->att = xrealloc(last->att, (last->natt + 1) * sizeof *last->att);
			last->att[last->natt++] = (struct attach){ "", { 0 }, e };
			last = e;
			i += 3;
		} else {
			usage();
		}
	}
	write_pst(argv[1], store);
	return 0;
}
