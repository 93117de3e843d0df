/*
 * test_ooxml.c - docx, xlsx and pptx through the real pipeline: documents
 * written by tests/docgen (or by hand, for the hostile ones) are scanned
 * with ps_scan_file() and the exact findings checked: type, confidence,
 * masked value, where and member.  Values are the published test cards
 * and synthetic HKIDs.
 */
#include "config.h"

#include "../unit/scanfile.h"
#include "extract/xml.h"

static void
test_docx(void)
{
	struct ps_file_result *r;

	ok(gen("docx", "a.docx",
	    "Staff handbook\n"
	    "Card on file: 4111 1110{r} 0023 1111\n"
	    "|HKID|Name|\n"
	    "|A1234563|Chan Tai Man|\n"
	    "Reference A1234563 only\n"
	    "@comment Reviewer note CA182361(1)\n"
	    "@footnote Source G123456(A)\n"
	    "@header Header ref 5555551000484444\n"
	    "@footer Footer ref 378282100280005\n"), "docx generated");
	if ((r = scan("a.docx", NULL)) == NULL) {
		ok(0, "docx scanned");
		return;
	}
	is_str(r->type, "docx", "docx: type");
	is_str(r->status, "ok", "docx: status ok");
	FOUND(r, "card", HIGH, "411111******1111", "paragraph 2", "",
	    "docx: a card split across runs is found once, in its paragraph");
	FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 5", "",
	    "docx: bracketless HKID under an HKID column header is high");
	FOUND(r, "hkid", LOW, "A******(3)", "paragraph 7", "",
	    "docx: the same outside the table is low");
	FOUND(r, "hkid", MEDIUM, "CA******(1)", "comment 1", "",
	    "docx: comment text");
	FOUND(r, "hkid", MEDIUM, "G******(A)", "footnote 1", "",
	    "docx: footnote text (separators are not notes)");
	FOUND(r, "card", MEDIUM, "555555******4444", "header paragraph 1", "",
	    "docx: header text");
	FOUND(r, "card", MEDIUM, "378282*****0005", "footer paragraph 1", "",
	    "docx: footer text");
	is_int(r->findings.count, 7, "docx: nothing else");
	ps_file_result_free(r);
}

#define CT_DOCX "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>" \
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"
#define RELS_DOCX "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
#define W_DOC "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"

/* Hand-written: spanning header cells, a text box inside a paragraph,
 * tab stops and field codes that are not text; and a document cut off in
 * the middle of its XML. */
static void
test_docx_by_hand(void)
{
	struct ps_file_result *r;

	write_file("ct.xml", CT_DOCX);
	write_file("rels.xml", RELS_DOCX);
	write_file("doc.xml", W_DOC
	    "<w:tbl><w:tr>"
	    "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc>"
	    "<w:tc><w:p><w:r><w:t>ID card</w:t></w:r></w:p><w:p><w:r><w:t>No.</w:t></w:r></w:p></w:tc>"
	    "</w:tr><w:tr>"
	    "<w:tc><w:p><w:r><w:t>Chan</w:t></w:r></w:p></w:tc>"
	    "<w:tc><w:p><w:r><w:t>Tai Man</w:t></w:r></w:p></w:tc>"
	    "<w:tc><w:p><w:r><w:t>A123456</w:t></w:r><w:r><w:t>3</w:t></w:r></w:p></w:tc>"
	    "</w:tr></w:tbl>"
	    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
	    "<w:r><w:instrText>MERGEFIELD 4111111000231111</w:instrText></w:r>"
	    "<w:r><w:t>Outer 0111 1111</w:t></w:r>"
	    "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed G123456(A)</w:t></w:r></w:p>"
	    "</w:txbxContent></w:drawing></w:r>"
	    "<w:r><w:tab/><w:t>tail</w:t></w:r></w:p>"
	    "</w:body></w:document>");
	ok(gen_zip("span.docx", "'[Content_Types].xml=ct.xml' _rels/.rels=rels.xml "
	    "word/document.xml=doc.xml"), "hand-written docx zipped");
	if ((r = scan("span.docx", NULL)) != NULL) {
		is_str(r->type, "docx", "hand-written docx: type");
		FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 6", "",
		    "docx: a header cell spanning two columns moves the next header along");
		FOUND(r, "hkid", MEDIUM, "G******(A)", "paragraph 8", "",
		    "docx: a text box paragraph is a unit of its own");
		is_int(r->findings.count, 2, "docx: field codes and split outer text give nothing");
		ps_file_result_free(r);
	}

	write_file("cut.xml", W_DOC
	    "<w:p><w:r><w:t>Card 4111111000231111</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>HKID A123456(3)</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>more tex");
	ok(gen_zip("cut.docx", "'[Content_Types].xml=ct.xml' _rels/.rels=rels.xml "
	    "word/document.xml=cut.xml"), "truncated docx zipped");
	if ((r = scan("cut.docx", NULL)) != NULL) {
		is_str(r->status, "partial", "truncated XML: partial");
		ok(strncmp(r->reason, "corrupt: word/document.xml: ", 28) == 0,
		    "truncated XML: reason names the part (%s)", r->reason);
		FOUND(r, "card", HIGH, "411111******1111", "paragraph 1", "",
		    "truncated XML: text before the fault is still found");
		FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 2", "",
		    "truncated XML: up to the fault");
		ps_file_result_free(r);
	}
}

static void
test_xlsx(void)
{
	struct ps_file_result *r;

	ok(gen("xlsx", "a.xlsx",
	    "Staff\tA1\ts\tName\n"
	    "Staff\tB1\ts\tCard number\n"
	    "Staff\tC1\ts\tHKID No\n"
	    "Staff\tA7\ts\tChan\n"
	    "Staff\tB7\tn\t4.111111000231111E+15\n"
	    "Staff\tC7\ts\tA1234563\n"
	    "Staff\tB8\tn\t5.5555510004844441E15\n"
	    "Staff\tC8\ti\tCA182361{r}1\n"
	    "Staff\tB9\tn\t378282100280005\n"
	    "Staff\tC9\tn\t1.5\n"
	    "Notes\tA1\ti\tnothing here\n"
	    "Notes\tC2\ts\tG123456{r}(A)\n"), "xlsx generated");
	if ((r = scan("a.xlsx", NULL)) == NULL) {
		ok(0, "xlsx scanned");
		return;
	}
	is_str(r->type, "xlsx", "xlsx: type");
	is_str(r->status, "ok", "xlsx: status ok");
	FOUND(r, "card", HIGH, "411111******1111", "Staff!B7", "",
	    "xlsx: 4.111111000231111E+15 is the card, with its column header");
	FOUND(r, "hkid", HIGH, "A******(3)", "Staff!C7", "",
	    "xlsx: shared string under 'HKID No' is high");
	FOUND(r, "card", HIGH, "555555******4444", "Staff!B8", "",
	    "xlsx: a 17-digit mantissa is rounded to what a double holds");
	FOUND(r, "hkid", HIGH, "CA******(1)", "Staff!C8", "",
	    "xlsx: inline rich-text runs are joined");
	FOUND(r, "card", HIGH, "378282*****0005", "Staff!B9", "",
	    "xlsx: a plain integer stays as it is");
	FOUND(r, "hkid", MEDIUM, "G******(A)", "Notes!C2", "",
	    "xlsx: second sheet in workbook order, without the first one's "
	    "headers ('HKID No' above C); shared rich text joined");
	is_int(r->findings.count, 6, "xlsx: nothing else");
	ps_file_result_free(r);
}

#define CT_XLSX "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>" \
	"<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"
#define WB_XLSX "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" \
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define WBRELS_XLSX "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
/* A1 and B1 use shared strings 0 and 1; A2 has its own text; the cells
 * of row 3 have no reference and are placed by position. */
#define SHEET_XLSX "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" \
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>" \
	"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>4111111000231111</t></is></c></row>" \
	"<row><c t=\"b\"><v>1</v></c><c t=\"str\"><f>X</f><v>A123456(3)</v></c></row>" \
	"</sheetData></worksheet>"

static void
xlsx_by_hand(const char *name, const char *sst)
{
	write_file("ct.xml", CT_XLSX);
	write_file("wb.xml", WB_XLSX);
	write_file("wbrels.xml", WBRELS_XLSX);
	write_file("sheet.xml", SHEET_XLSX);
	write_file("sst.xml", sst);
	ok(gen_zip(name, "'[Content_Types].xml=ct.xml' xl/workbook.xml=wb.xml "
	    "xl/_rels/workbook.xml.rels=wbrels.xml xl/worksheets/sheet1.xml=sheet.xml "
	    "xl/sharedStrings.xml=sst.xml"), "%s zipped", name);
}

/*
 * A part's encoding is found from its first bytes, whatever part the
 * worker's parser read before (it is kept between parts): a UTF-8 BOM, and
 * UTF-16 with its BOM, after parts in plain UTF-8.
 */
static void
test_xlsx_encodings(void)
{
#define SST_BODY "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<si><t>Name</t></si><si><t>5555551000484444</t></si></sst>"
	static const char utf8[] = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>" SST_BODY;
	static const char ascii16[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" SST_BODY;
	char utf16[2 * sizeof ascii16 + 2];
	struct ps_file_result *r;
	size_t n = 0;

	utf16[n++] = '\xff';
	utf16[n++] = '\xfe';
	for (const char *p = ascii16; *p != '\0'; p++) {
		utf16[n++] = *p;
		utf16[n++] = '\0';
	}
	write_file("ct.xml", CT_XLSX);
	write_file("wb.xml", WB_XLSX);
	write_file("wbrels.xml", WBRELS_XLSX);
	write_file("sheet.xml", SHEET_XLSX);
	for (int round = 0; round < 2; round++) {
		const char *name = round == 0 ? "bom8.xlsx" : "bom16.xlsx";
		FILE *fp = fopen(path_of("sst.xml"), "wb");
		const char *data = round == 0 ? utf8 : utf16;
		size_t len = round == 0 ? strlen(utf8) : n;

		if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
			ok(false, "%s: shared strings written", name);
			continue;
		}
		ok(gen_zip(name, "'[Content_Types].xml=ct.xml' xl/workbook.xml=wb.xml "
		    "xl/_rels/workbook.xml.rels=wbrels.xml xl/worksheets/sheet1.xml=sheet.xml "
		    "xl/sharedStrings.xml=sst.xml"), "%s zipped", name);
		if ((r = scan(name, NULL)) == NULL)
			continue;
		is_str(r->status, "ok", "%s: read whole (%s)", name, r->reason);
		FOUND(r, "card", MEDIUM, "555555******4444", "S!B1", "",
		    round == 0 ? "UTF-8 with a BOM: the shared strings are read"
		    : "UTF-16: the shared strings are read");
		ps_file_result_free(r);
	}
#undef SST_BODY
}

/* Entities are never expanded and nothing outside the package is read. */
static void
test_xlsx_hostile(void)
{
	struct ps_file_result *r;
	char sst[2048];
	double secs = 99;

	/* What an external entity would bring in if it were read. */
	write_file("secret.txt", "Card 5555551000484444");
	write_file("secret.dtd", "<!ENTITY leak \"5555551000484444\">");

	xlsx_by_hand("bomb.xlsx", "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE sst [\n"
	    "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	    "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	    "]>\n"
	    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	    "<si><t>HKID</t></si><si><t>&h;&h;&h;&h;&h;&h;&h;&h;</t></si></sst>");
	if ((r = scan("bomb.xlsx", &secs)) != NULL) {
		ok(strcmp(r->status, "ok") == 0 || strcmp(r->status, "partial") == 0,
		    "entity bomb: ok or partial (%s %s)", r->status, r->reason);
		ok(secs < 5, "entity bomb: not expanded (%.3f s)", secs);
		FOUND(r, "card", MEDIUM, "411111******1111", "S!A2", "",
		    "entity bomb: the sheet is still read");
		ok(r->bytes_read < 100000, "entity bomb: read only the file");
		ps_file_result_free(r);
	}

	snprintf(sst, sizeof sst, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE sst [\n"
	    "<!ENTITY xxe SYSTEM \"file://%s/secret.txt\">\n"
	    "<!ENTITY %% p SYSTEM \"file://%s/secret.dtd\">\n"
	    "%%p;\n"
	    "]>\n"
	    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	    "<si><t>x&xxe;</t></si><si><t>y&leak;</t></si></sst>", dir, dir);
	xlsx_by_hand("xxe.xlsx", sst);
	if ((r = scan("xxe.xlsx", NULL)) != NULL) {
		ok(strcmp(r->status, "ok") == 0 || strcmp(r->status, "partial") == 0,
		    "external entity: ok or partial (%s %s)", r->status, r->reason);
		is_int(count(r, "card", MEDIUM, "555555******4444", "S!A1", "")
		    + count(r, "card", HIGH, "555555******4444", "S!A1", "")
		    + count(r, "card", MEDIUM, "555555******4444", "S!B1", ""), 0,
		    "external entity: the file it names is not read");
		FOUND(r, "card", MEDIUM, "411111******1111", "S!A2", "",
		    "external entity: the sheet is still read");
		FOUND(r, "hkid", MEDIUM, "A******(3)", "S!B3", "",
		    "a cell without a reference is placed by position; formula text skipped");
		is_int(r->findings.count, 2, "external entity: nothing else");
		ps_file_result_free(r);
	}
}

static void
test_pptx(void)
{
	struct ps_file_result *r;

	ok(gen("pptx", "a.pptx",
	    "1\tTitle slide\n"
	    "1\tCard {r}4111111000231111\n"
	    "2\tSecond slide\n"
	    "2\t@notes Speaker notes: HKID A123456(3)\n"
	    "2\t|HKID|Name|\n"
	    "2\t|A1234563|Chan|\n"
	    "3\tThird\n"
	    "3\t@notes CA182361(1)\n"), "pptx generated");
	if ((r = scan("a.pptx", NULL)) == NULL) {
		ok(0, "pptx scanned");
		return;
	}
	is_str(r->type, "pptx", "pptx: type");
	is_str(r->status, "ok", "pptx: status ok");
	FOUND(r, "card", HIGH, "411111******1111", "slide 1", "",
	    "pptx: slide text, runs joined");
	FOUND(r, "hkid", HIGH, "A******(3)", "slide 2 notes", "",
	    "pptx: notes of slide 2");
	FOUND(r, "hkid", HIGH, "A******(3)", "slide 2", "",
	    "pptx: table cell under an HKID header");
	FOUND(r, "hkid", MEDIUM, "CA******(1)", "slide 3 notes", "",
	    "pptx: slides in presentation order, not part-name order");
	is_int(r->findings.count, 4, "pptx: nothing else");
	ps_file_result_free(r);
}

static void
test_embedded(void)
{
	struct ps_file_result *r;
	char spec[512];

	ok(gen("xlsx", "inner.xlsx", "Cards\tA1\ts\tCard number\n"
	    "Cards\tA2\tn\t5555551000484444\n"), "inner xlsx generated");
	snprintf(spec, sizeof spec, "Cover letter 4111111000231111\n"
	    "@member word/embeddings/x.xlsx %s\n", path_of("inner.xlsx"));
	ok(gen("docx", "outer.docx", spec), "docx with embedded xlsx generated");
	if ((r = scan("outer.docx", NULL)) == NULL) {
		ok(0, "outer docx scanned");
		return;
	}
	is_str(r->type, "docx", "embedded: outer type");
	is_str(r->status, "ok", "embedded: status ok");
	FOUND(r, "card", MEDIUM, "411111******1111", "paragraph 1", "",
	    "embedded: the document's own text");
	FOUND(r, "card", HIGH, "555555******4444", "Cards!A2", "word/embeddings/x.xlsx",
	    "embedded: the xlsx inside is scanned, member names it");
	is_int(r->findings.count, 2, "embedded: nothing else");
	ps_file_result_free(r);
}

/* The pure helpers. */
/* One line a node: "E depth name [empty] [attr]", "/ depth name",
 * "T depth text" or "C depth text"; skipping the subtree of <skip>. */
static char *
events_of(const char *xml, size_t len, bool *failed)
{
	struct ps_xml xr;
	size_t cap = 4 * len + 4096, n = 0;
	char *out = malloc(cap);

	if (out == NULL || ps_xml_open_memory(&xr, xml, len) != PS_OK) {
		free(out);
		return NULL;
	}
	out[0] = '\0';
	while (ps_xml_next(&xr) && n + 256 < cap) {
		int type = ps_xml_type(&xr), depth = ps_xml_depth(&xr);
		char id[32], val[16];

		if (type == XML_READER_TYPE_ELEMENT) {
			ps_xml_attr(&xr, "id", 1, id, sizeof id);
			ps_xml_attr(&xr, "v", -1, val, sizeof val);
			n += (size_t)snprintf(out + n, cap - n, "E %d %s%s%s%s%s%s\n", depth,
			    ps_xml_local(&xr), ps_xml_empty(&xr) ? " empty" : "",
			    id[0] != '\0' ? " r:id=" : "", id,
			    val[0] != '\0' ? " v=" : "", val);
			if (ps_xml_start(&xr, "skip"))
				ps_xml_skip(&xr);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			n += (size_t)snprintf(out + n, cap - n, "/ %d %s\n", depth,
			    ps_xml_local(&xr));
		} else if (ps_xml_is_text(&xr)) {
			const char *v = ps_xml_value(&xr);
			size_t vl = strlen(v);

			if (n + vl + 64 >= cap)
				break;
			n += (size_t)snprintf(out + n, cap - n, "%c %d %s\n",
			    type == XML_READER_TYPE_CDATA ? 'C' : 'T', depth, v);
		}
	}
	*failed = xr.failed;
	ps_xml_close(&xr);
	return out;
}

/* The layer over libxml2's push parser: what the reader gave, whatever
 * the 16 KiB chunks cut. */
static void
test_xml_events(void)
{
	static const char small[] = "<a xmlns:r=\"urn:r\">"
	    "<b r:id=\"rId7\" id=\"plain\" v=\"1&amp;2\"/>"
	    "<c>x &amp; y<![CDATA[<z>]]>w</c><skip><d>hidden</d>gone</skip>"
	    "<e></e></a>";
	static const char cut[] = "<r><t>kept</t><t>cut";
	size_t big = 40000, len;
	char *xml = malloc(2 * big + 4096), *text = malloc(big + 1), *want, *got;
	bool failed = false;

	if (xml == NULL || text == NULL)
		return;
	got = events_of(small, strlen(small), &failed);
	is_str(got != NULL ? got : "",
	    "E 0 a\n"
	    "E 1 b empty r:id=rId7 v=1&2\n"
	    "E 1 c\n"
	    "T 2 x & y\n"
	    "C 2 <z>\n"
	    "T 2 w\n"
	    "/ 1 c\n"
	    "E 1 skip\n"
	    "E 1 e\n"
	    "/ 1 e\n"
	    "/ 0 a\n",
	    "xml: nodes, depths, an empty element, prefixed and plain attributes, "
	    "references merged into text, CDATA apart, a subtree skipped");
	ok(!failed, "xml: well-formed");
	free(got);

	/* Text of 40,000 bytes with references, across three chunk ends. */
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[big] = '\0';
	len = (size_t)snprintf(xml, 2 * big + 4096, "<r><t>%.*s&amp;%s</t><u/></r>",
	    16000, text, text + 16000);
	want = malloc(big + 64);
	snprintf(want, big + 64, "E 0 r\nE 1 t\nT 2 %.*s&%s\n/ 1 t\nE 1 u empty\n/ 0 r\n",
	    16000, text, text + 16000);
	got = events_of(xml, len, &failed);
	ok(got != NULL && strcmp(got, want) == 0,
	    "xml: a text node over chunk ends is one node, whole");
	ok(!failed, "xml: long text well-formed");
	free(got);
	free(want);

	/* A subtree skipped across chunks, then the rest. */
	len = (size_t)snprintf(xml, 2 * big + 4096, "<r><skip><d>%s</d><d>%s</d></skip><t>after</t></r>",
	    text, text);
	got = events_of(xml, len, &failed);
	is_str(got != NULL ? got : "", "E 0 r\nE 1 skip\nE 1 t\nT 2 after\n/ 1 t\n/ 0 r\n",
	    "xml: a skipped subtree over chunk ends leaves out all of it, not more");
	free(got);

	/* A subtree skipped whole within a chunk, then deeper nodes in the
	 * next chunks: those are read. */
	len = (size_t)snprintf(xml, 2 * big + 4096, "<r><skip><d>x</d></skip><t><u>%s</u></t></r>",
	    text);
	got = events_of(xml, len, &failed);
	want = malloc(big + 64);
	snprintf(want, big + 64, "E 0 r\nE 1 skip\nE 1 t\nE 2 u\nT 3 %s\n/ 2 u\n/ 1 t\n/ 0 r\n",
	    text);
	ok(got != NULL && strcmp(got, want) == 0,
	    "xml: a subtree skipped within a chunk: the next chunks' deeper nodes are read");
	free(got);
	free(want);

	/* Cut short: what came before the fault is kept, and it failed. */
	got = events_of(cut, strlen(cut), &failed);
	is_str(got != NULL ? got : "", "E 0 r\nE 1 t\nT 2 kept\n/ 1 t\nE 1 t\nT 2 cut\n",
	    "xml: a truncated part gives the nodes before the fault");
	ok(failed, "xml: ... and says it failed");
	free(got);
	free(xml);
	free(text);
}

static void
test_helpers(void)
{
	char out[64], small[8];

	ps_put_u64(ps_put_str(ps_put_str(out, out + sizeof out, "Staff"), out + sizeof out,
	    "!C"), out + sizeof out, 18446744073709551615ULL);
	is_str(out, "Staff!C18446744073709551615", "put: text and the largest number");
	ps_put_u64(ps_put_str(small, small + sizeof small, "Sheet"), small + sizeof small, 1234);
	is_str(small, "Sheet12", "put: cut to fit, NUL-terminated");
	ps_put_u64(out, out + sizeof out, 0);
	is_str(out, "0", "put: zero");

	ok(ps_xml_integer_text("4111111000231111", out, sizeof out)
	    && strcmp(out, "4111111000231111") == 0, "integer: digits stay");
	ok(ps_xml_integer_text("4.111111000231111E+15", out, sizeof out)
	    && strcmp(out, "4111111000231111") == 0, "integer: E+15 form");
	ok(ps_xml_integer_text("4.1111110002311111E15", out, sizeof out)
	    && strcmp(out, "4111111000231111") == 0, "integer: 17 digits rounded to 16");
	ok(ps_xml_integer_text("4.1111111111111E+15", out, sizeof out)
	    && strcmp(out, "4111111111111100") == 0, "integer: 14 digits, zeros added");
	ok(ps_xml_integer_text("4111111000231111.000", out, sizeof out)
	    && strcmp(out, "4111111000231111") == 0, "integer: .000 dropped");
	ok(ps_xml_integer_text("-12e2", out, sizeof out) && strcmp(out, "-1200") == 0,
	    "integer: sign and exponent");
	ok(ps_xml_integer_text("0.0", out, sizeof out) && strcmp(out, "0") == 0,
	    "integer: zero");
	ok(!ps_xml_integer_text("1.5", out, sizeof out), "integer: 1.5 is not");
	ok(!ps_xml_integer_text("1E31", out, sizeof out), "integer: over 30 digits is not");
	ok(!ps_xml_integer_text("12abc", out, sizeof out), "integer: not a number");
	ok(!ps_xml_integer_text("", out, sizeof out), "integer: empty");
	/* Plain digits at the bounds of the reading (taken as they stand). */
	ok(ps_xml_integer_text("0", out, sizeof out) && strcmp(out, "0") == 0,
	    "integer: 0");
	ok(ps_xml_integer_text("007", out, sizeof out) && strcmp(out, "7") == 0,
	    "integer: leading zeros dropped");
	ok(ps_xml_integer_text("123456789012345678901234567890", out, sizeof out)
	    && strcmp(out, "123456789012345678901234567890") == 0, "integer: 30 digits stay");
	ok(!ps_xml_integer_text("1234567890123456789012345678901", out, sizeof out),
	    "integer: 31 digits are not");
	ok(!ps_xml_integer_text("12345678", small, 8), "integer: not room for the digits");
	ok(ps_xml_integer_text("1234567", small, 8) && strcmp(small, "1234567") == 0,
	    "integer: room for the digits just");
	ok(ps_xml_resolve("xl/", "worksheets/sheet1.xml", out, sizeof out)
	    && strcmp(out, "xl/worksheets/sheet1.xml") == 0, "resolve: relative");
	ok(ps_xml_resolve("ppt/slides/", "../notesSlides/n%201.xml", out, sizeof out)
	    && strcmp(out, "ppt/notesSlides/n 1.xml") == 0, "resolve: .. and %%20");
	ok(ps_xml_resolve("xl/", "/xl/sharedStrings.xml", out, sizeof out)
	    && strcmp(out, "xl/sharedStrings.xml") == 0, "resolve: absolute");
	ok(!ps_xml_resolve("xl/", "../../etc/passwd", out, sizeof out),
	    "resolve: nothing above the package");
	ps_xml_column_name(0, out);
	is_str(out, "A", "column 0 is A");
	ps_xml_column_name(27, out);
	is_str(out, "AB", "column 27 is AB");
	ps_xml_column_name(16383, out);
	is_str(out, "XFD", "column 16383 is XFD");
	out[0] = '\0';
	ps_xml_append(out, 5, "ab\xe8\xba\xab", 5);
	is_str(out, "ab", "append: a cut character is left out");
}

/* ps_scan_buffer(): a document in memory, by its content or as a zip, is
 * scanned like the same file on disk; an unknown type is an error. */
static void
test_scan_buffer(void)
{
	static const char *const types[] = { NULL, "zip" };
	unsigned char data[65536];
	size_t len = 0;
	FILE *fp;

	ok(gen("docx", "buf.docx", "Card on file: 4111 1110 0023 1111\n"), "docx generated");
	if ((fp = fopen(path_of("buf.docx"), "rb")) != NULL) {
		len = fread(data, 1, sizeof data, fp);
		fclose(fp);
	}
	for (size_t i = 0; i < 2; i++) {
		struct ps_file_result *r = ps_file_result_new(strdup("memo.docx"));

		if (r == NULL)
			return;
		is_int(ps_scan_buffer(worker, r, data, len, types[i]), PS_OK,
		    "scan a buffer as %s", types[i] != NULL ? types[i] : "its content says");
		is_str(r->type, "docx", "... a docx");
		FOUND(r, "card", HIGH, "411111******1111", "paragraph 1", "",
		    "... its card found, in paragraph 1");
		ps_file_result_free(r);
	}
	{
		struct ps_file_result *r = ps_file_result_new(strdup("x"));

		if (r == NULL)
			return;
		ps_scan_buffer(worker, r, data, len, "nonsense");
		is_str(r->status, "error", "an unknown type is an error");
		ps_file_result_free(r);
	}
}

int
main(void)
{
	if (!scanfile_setup("ooxml"))
		return done_testing();
	test_helpers();
	test_xml_events();
	test_docx();
	test_docx_by_hand();
	test_xlsx();
	test_xlsx_hostile();
	test_xlsx_encodings();
	test_pptx();
	test_embedded();
	test_scan_buffer();
	return scanfile_teardown();
}
