/*
 * test_odf.c - odt, ods and odp through the real pipeline: documents
 * written by tests/docgen (or by hand) are scanned with ps_scan_file()
 * and the exact findings checked: type, confidence, masked value, where
 * and member.  Values are the published test cards and synthetic HKIDs.
 */
#include "config.h"

#include "../unit/scanfile.h"

static void
test_odt(void)
{
	struct ps_file_result *r;

	ok(gen("odt", "a.odt",
	    "Staff handbook\n"
	    "Card on file: 4111 1110{r} 0023 1111\n"
	    "|HKID|Name|\n"
	    "|A1234563|Chan Tai Man|\n"
	    "Reference A1234563 only\n"
	    "@comment Reviewer note CA182361(1)\n"
	    "@footnote Source G123456(A)\n"
	    "@header Header ref 5555551000484444\n"
	    "@footer Footer ref 378282100280005\n"), "odt generated");
	if ((r = scan("a.odt", NULL)) == NULL) {
		ok(0, "odt scanned");
		return;
	}
	is_str(r->type, "odt", "odt: type");
	is_str(r->status, "ok", "odt: status ok");
	FOUND(r, "card", HIGH, "411111******1111", "paragraph 2", "",
	    "odt: a card split across spans is found once, in its paragraph");
	FOUND(r, "hkid", HIGH, "A******(3)", "paragraph 5", "",
	    "odt: bracketless HKID under an HKID column header is high");
	FOUND(r, "hkid", LOW, "A******(3)", "paragraph 7", "",
	    "odt: the same outside the table is low");
	FOUND(r, "hkid", MEDIUM, "CA******(1)", "paragraph 8", "",
	    "odt: an annotation is a paragraph of its own");
	FOUND(r, "hkid", MEDIUM, "G******(A)", "paragraph 9", "",
	    "odt: a footnote is a paragraph of its own, its citation left out");
	FOUND(r, "card", MEDIUM, "555555******4444", "header paragraph 1", "",
	    "odt: page header in styles.xml");
	FOUND(r, "card", MEDIUM, "378282*****0005", "footer paragraph 1", "",
	    "odt: page footer in styles.xml");
	is_int(r->findings.count, 7, "odt: nothing else");
	ps_file_result_free(r);
}

static void
test_ods(void)
{
	struct ps_file_result *r;
	double secs = 99;

	ok(gen("ods", "a.ods",
	    "Staff\tA1\ts\tName\n"
	    "Staff\tB1\ts\tCard number\n"
	    "Staff\tC1\ts\tHKID No\n"
	    "Staff\tA2\te\t1000000\n"
	    "Staff\tB7\tn\t4.111111000231111E+15\n"
	    "Staff\tC7\ts\tA1234563\n"
	    "Staff\tB8\tn\t5555551000484444\n"
	    "Staff\tC8\ts\tCA182361{r}1\n"
	    "Staff\tC9\tn\t1.5\n"
	    "Staff\tC1048000\ti\tG123456(A)\n"
	    "Other\tA1\ts\tnothing here\n"
	    "Other\tB3\tn\t378282100280005\n"), "ods generated");
	if ((r = scan("a.ods", &secs)) == NULL) {
		ok(0, "ods scanned");
		return;
	}
	is_str(r->type, "ods", "ods: type");
	is_str(r->status, "ok", "ods: status ok");
	ok(secs < 2, "ods: a million repeated cells and rows cost nothing (%.3f s)", secs);
	FOUND(r, "card", HIGH, "411111******1111", "Staff!B7", "",
	    "ods: office:value 4.111111000231111E+15 is the card, with its header");
	FOUND(r, "hkid", HIGH, "A******(3)", "Staff!C7", "",
	    "ods: string cell under 'HKID No' is high");
	FOUND(r, "card", HIGH, "555555******4444", "Staff!B8", "",
	    "ods: an integer value stays as it is");
	FOUND(r, "hkid", HIGH, "CA******(1)", "Staff!C8", "",
	    "ods: spans of a cell are joined");
	FOUND(r, "hkid", HIGH, "G******(A)", "Staff!C1048000", "",
	    "ods: position counted through repeated rows");
	FOUND(r, "card", MEDIUM, "378282*****0005", "Other!B3", "",
	    "ods: second sheet, no header above");
	is_int(r->findings.count, 6, "ods: nothing else");
	ps_file_result_free(r);
}

static void
test_odp(void)
{
	struct ps_file_result *r;

	ok(gen("odp", "a.odp",
	    "1\tTitle slide\n"
	    "1\tCard {r}4111111000231111\n"
	    "2\tSecond slide\n"
	    "2\t@notes Speaker notes: HKID A123456(3)\n"
	    "2\t|HKID|Name|\n"
	    "2\t|A1234563|Chan|\n"
	    "3\t@notes CA182361(1)\n"), "odp generated");
	if ((r = scan("a.odp", NULL)) == NULL) {
		ok(0, "odp scanned");
		return;
	}
	is_str(r->type, "odp", "odp: type");
	is_str(r->status, "ok", "odp: status ok");
	FOUND(r, "card", HIGH, "411111******1111", "slide 1", "",
	    "odp: slide text, spans joined");
	FOUND(r, "hkid", HIGH, "A******(3)", "slide 2 notes", "",
	    "odp: notes of slide 2");
	FOUND(r, "hkid", HIGH, "A******(3)", "slide 2", "",
	    "odp: table cell under an HKID header");
	FOUND(r, "hkid", MEDIUM, "CA******(1)", "slide 3 notes", "",
	    "odp: notes of slide 3");
	is_int(r->findings.count, 4, "odp: nothing else");
	ps_file_result_free(r);
}

#define ODF_CONTENT(body) "<?xml version=\"1.0\"?><office:document-content " \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">" \
	"<office:body>" body "</office:body></office:document-content>"
#define MANIFEST(type, extra) "<?xml version=\"1.0\"?><manifest:manifest " \
	"xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">" \
	"<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" type "\"/>" \
	"<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">" \
	extra "</manifest:file-entry></manifest:manifest>"

/* Packages written by hand: no mimetype member; an encrypted one; an
 * embedded object; a mimetype that is not an ODF one. */
static void
test_odf_by_hand(void)
{
	struct ps_file_result *r;

	write_file("content.xml", ODF_CONTENT("<office:spreadsheet>"
	    "<table:table table:name=\"T\"><table:table-row>"
	    "<table:table-cell table:number-columns-repeated=\"3\"/>"
	    "<table:table-cell office:value-type=\"string\"><text:p>ID No</text:p></table:table-cell>"
	    "</table:table-row><table:table-row table:number-rows-repeated=\"2\">"
	    "<table:table-cell table:number-columns-repeated=\"3\" office:value-type=\"string\">"
	    "<text:p>x</text:p></table:table-cell>"
	    "<table:table-cell><text:p>A123456</text:p><text:p>line two</text:p></table:table-cell>"
	    "<table:covered-table-cell/>"
	    "<table:table-cell office:value-type=\"float\" office:value=\"4111111000231111\">"
	    "<text:p>4.11111E+15</text:p></table:table-cell>"
	    "</table:table-row><table:table-row>"
	    "<table:table-cell table:number-columns-repeated=\"3\"/>"
	    "<table:table-cell><text:p>A<text:span>1234563</text:span></text:p></table:table-cell>"
	    "</table:table-row></table:table></office:spreadsheet>"));
	write_file("manifest.xml", MANIFEST("application/vnd.oasis.opendocument.spreadsheet", ""));
	ok(gen_zip("nomime.ods", "META-INF/manifest.xml=manifest.xml content.xml=content.xml"),
	    "ods without mimetype zipped");
	if ((r = scan("nomime.ods", NULL)) != NULL) {
		is_str(r->type, "ods", "no mimetype: the manifest says ods");
		is_str(r->status, "ok", "no mimetype: status ok");
		FOUND(r, "hkid", HIGH, "A******(3)", "T!D4", "",
		    "ods: repeated cells move the column, repeated rows the row");
		FOUND(r, "card", MEDIUM, "411111******1111", "T!F2", "",
		    "ods: a covered cell takes its column; the value, not the shown text");
		is_int(r->findings.count, 2, "no mimetype: nothing else");
		ps_file_result_free(r);
	}

	write_file("mimetype", "application/vnd.oasis.opendocument.text");
	write_file("manifest.xml", MANIFEST("application/vnd.oasis.opendocument.text",
	    "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"x\"/>"));
	write_file("content.xml", "\x8f\x01\xfe binary ciphertext");
	ok(gen_zip("enc.odt", "mimetype=mimetype META-INF/manifest.xml=manifest.xml "
	    "content.xml=content.xml"), "encrypted odt zipped");
	if ((r = scan("enc.odt", NULL)) != NULL) {
		is_str(r->type, "odt", "encrypted odt: type");
		is_str(r->status, "partial", "encrypted odt: partial");
		is_str(r->reason, "encrypted", "encrypted odt: reason");
		ps_file_result_free(r);
	}

	write_file("content.xml", ODF_CONTENT("<office:text><text:p>Main text</text:p></office:text>"));
	write_file("inner.xml", ODF_CONTENT("<office:text><text:p>Card 4111111000231111</text:p>"
	    "</office:text>"));
	write_file("manifest.xml", MANIFEST("application/vnd.oasis.opendocument.text", ""));
	ok(gen_zip("obj.odt", "mimetype=mimetype META-INF/manifest.xml=manifest.xml "
	    "content.xml=content.xml \"Object 1/content.xml=inner.xml\""), "odt with object zipped");
	if ((r = scan("obj.odt", NULL)) != NULL) {
		is_str(r->type, "odt", "embedded object: type");
		is_str(r->status, "ok", "embedded object: status ok");
		FOUND(r, "card", HIGH, "411111******1111", "line 1", "Object 1/content.xml",
		    "embedded object: its content is scanned as a member");
		is_int(r->findings.count, 1, "embedded object: nothing else");
		ps_file_result_free(r);
	}

	write_file("mimetype", "application/vnd.oasis.opendocument.text-master");
	ok(gen_zip("master.zip", "mimetype=mimetype content.xml=inner.xml"), "other ODF zipped");
	{
		zip_t *za = zip_open(path_of("master.zip"), ZIP_RDONLY, NULL);

		ok(za != NULL && !ps_odt_claims(za) && !ps_ods_claims(za)
		    && !ps_odp_claims(za), "a text-master is not claimed as odt, ods or odp");
		if (za != NULL)
			zip_discard(za);
		za = zip_open(path_of("obj.odt"), ZIP_RDONLY, NULL);
		ok(za != NULL && ps_odt_claims(za) && !ps_ods_claims(za),
		    "an odt is claimed as odt only");
		if (za != NULL)
			zip_discard(za);
	}
}

int
main(void)
{
	if (!scanfile_setup("odf"))
		return done_testing();
	test_odt();
	test_ods();
	test_odp();
	test_odf_by_hand();
	return scanfile_teardown();
}
