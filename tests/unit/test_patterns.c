/*
 * test_patterns.c - the pattern file loader: built-ins, syntax errors with
 * file:line, overriding and adding types, the combined program.
 */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/tap.h"
#include "patterns.h"

static char why[512];

/* Parse text as a file named "t.pattern"; returns the error. */
static enum ps_error
parse(const char *text)
{
	struct ps_patterns *set = ps_patterns_new();
	enum ps_error err;

	why[0] = '\0';
	err = ps_patterns_parse(set, "t.pattern", text, strlen(text), why, sizeof why);
	ps_patterns_free(set);
	return err;
}

static void
expect_error(const char *text, const char *message, const char *what)
{
	is_int(parse(text), PS_ERR_SYNTAX, "%s: refused", what);
	is_str(why, message, "%s: message", what);
}

static const char good_type[] =
	"type thing\nnormalise digits\nmask first6last4\nmatch medium [0-9]{16}\n";

static void
test_builtins(void)
{
	struct ps_patterns *set = NULL;
	long card, hkid;

	is_int(ps_patterns_load(NULL, &set, why, sizeof why), PS_OK, "built-ins load");
	if (set == NULL)
		return;
	card = ps_patterns_find_type(set, "card");
	hkid = ps_patterns_find_type(set, "hkid");
	ok(card >= 0 && hkid >= 0, "built-ins define card and hkid");
	is_int(ps_patterns_find_type(set, "nope"), -1, "unknown type not found");
	is_int(set->ntypes, 7, "seven built-in types");
	is_int(set->nregexes, 13, "thirteen built-in match lines");
	{
		static const char *const ids[] = {
			"card", "hkid", "cn_id", "mrz", "iban", "email", "phone_hk",
		};

		for (size_t i = 0; i < 7; i++)
			is_str(set->types[i].id, ids[i], "built-in type %zu is %s", i, ids[i]);
	}
	ok(set->prefiltered, "every built-in type has a prefilter");
	is_str(set->types[ps_patterns_find_type(set, "email")].prefilter_literal, "@",
	    "email: a literal prefilter");
	is_int(set->types[ps_patterns_find_type(set, "phone_hk")].context, PS_CONF_MEDIUM,
	    "phone_hk: a keyword makes it medium");
	is_int(set->types[card].context, PS_CONF_HIGH, "card: a keyword makes it high");
	ok(set->types[card].ntests >= 40, "card: the published test numbers");
	ok(ps_type_is_test_value(&set->types[card], "4111111111111111", 16),
	    "4111111111111111 is a test value");
	ok(ps_type_is_test_value(&set->types[card], "4222222222222", 13),
	    "the 13-digit Visa test number is one");
	ok(!ps_type_is_test_value(&set->types[card], "4111111000231111", 16),
	    "a synthetic number is not");
	ok(!ps_type_is_test_value(&set->types[card], "411111111111111", 15),
	    "a prefix of one is not");
	is_str(set->types[card].validator_name, "card", "card validator");
	is_str(set->types[hkid].validator_name, "hkid", "hkid validator");
	is_str(set->types[hkid].mask_name, "hkid", "hkid mask");
	is_str(set->types[card].source, "builtin:card.pattern", "card source");
	is_int(set->types[card].window, 300, "card keyword window");
	is_int(set->max_window, 300, "largest window");
	is_int(set->prefilter_digits, 2, "prefilter: the shortest digit run of all types");
	is_int(set->prefilter_span, 254, "prefilter: the widest span");
	ok(set->types[card].prefilter_after_any, "card: a digit run after anything");
	ok(set->types[card].prefilter_checked, "card: a run of digits alone, checked");
	ok(!set->types[hkid].prefilter_checked, "hkid: not checked");
	is_int(set->types[card].prefilter_groups, 0, "card: any groups");
	ok(!set->types[hkid].prefilter_after_any
	    && (set->types[hkid].prefilter_after['A' / 8] & (1u << ('A' % 8)))
	    && (set->types[hkid].prefilter_after['Z' / 8] & (1u << ('Z' % 8)))
	    && !(set->types[hkid].prefilter_after['a' / 8] & (1u << ('a' % 8)))
	    && !(set->types[hkid].prefilter_after['@' / 8] & (1u << ('@' % 8)))
	    && !(set->types[hkid].prefilter_after['[' / 8] & (1u << ('[' % 8))),
	    "hkid: a digit run right after A-Z, nothing else");
	is_int(strlen(set->sha256), 64, "pattern digest is 64 hex characters");
	ok(set->code != NULL, "combined program compiled");
	{
		bool lower = true, has_chinese = false;
		const struct ps_type *t = &set->types[hkid];

		for (size_t i = 0; i < t->nkeywords; i++) {
			for (const char *c = t->keywords[i]; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					lower = false;
			if (strcmp(t->keywords[i], "身份證") == 0)
				has_chinese = true;
		}
		ok(lower, "keywords are lower-cased");
		ok(has_chinese, "Chinese keywords kept as UTF-8");
	}
	ps_patterns_free(set);
}

static void
test_errors(void)
{
	expect_error("label x\n", "t.pattern:1: 'label' before the first 'type' line",
	    "directive before type");
	expect_error("type card\nfrobnicate 1\n", "t.pattern:2: unknown directive 'frobnicate'",
	    "unknown directive");
	expect_error("format 2\n", "t.pattern:1: format '2' is not supported (this piiscan reads format 1)",
	    "future format");
	expect_error("type Card\n", "t.pattern:1: type id 'Card': use lower-case letters, "
	    "digits and '_', starting with a letter, at most 31 characters", "bad id");
	expect_error("type x\nnormalise digits\nmask first6last4\nmatch medium [0-9\n",
	    "t.pattern:4: bad regex at offset 4: missing terminating ] for character class",
	    "bad regex: offset and PCRE2 message");
	expect_error("type x\nmatch medium a?\n", "t.pattern:2: regex can match empty text",
	    "regex matching empty text");
	expect_error("type x\nmatch medium (a)\\1\n",
	    "t.pattern:2: numbered group references are not allowed; name the group: "
	    "(?<name>...) and \\k<name>", "numbered reference");
	expect_error("type x\nmatch medium (?<a>a)\\g<1>\n",
	    "t.pattern:2: numbered group references are not allowed; name the group: "
	    "(?<name>...) and \\k<name>", "numbered reference \\g<1>");
	expect_error("type x\nmatch medium (a)(?-1)\n",
	    "t.pattern:2: numbered group references are not allowed; name the group: "
	    "(?<name>...) and \\k<name>", "relative recursion (?-1)");
	expect_error("type x\nmatch medium a(?C1)\n",
	    "t.pattern:2: callouts (?C...) are not allowed", "callout");
	is_int(parse("type x\nnormalise digits\nmask first6last4\n"
	    "match medium (?<s>[ -])[0-9]\\k<s>[0-9]\n"), PS_OK, "named reference allowed");
	expect_error("type x\nmatch high [0-9]{4}\n",
	    "t.pattern:2: 'match high': the confidence without context must be low or medium",
	    "match high refused");
	expect_error("type x\nmatch medium\n", "t.pattern:2: 'match' needs a regex",
	    "match without regex");
	expect_error("type x\nnormalise digits\nmask first6last4\n",
	    "t.pattern:4: type 'x' has no 'match' line", "type without match");
	expect_error("type x\nmask first6last4\nmatch medium [0-9]{4}\n",
	    "t.pattern:4: type 'x' has no 'normalise' line", "type without normalise");
	expect_error("type x\nnormalise digits\nmatch medium [0-9]{4}\ntype y\n",
	    "t.pattern:4: type 'x' has no 'mask' line", "type without mask, at the next type");
	expect_error("type x\nvalidator crc99\n", "t.pattern:2: unknown validator 'crc99'",
	    "unknown validator");
	expect_error("type x\nmask rot13\n", "t.pattern:2: unknown mask 'rot13'", "unknown mask");
	expect_error("type x\nwindow 5000\n",
	    "t.pattern:2: window '5000': a number of bytes, at most 4096", "window too large");
	expect_error("type x\nwindow\n", "t.pattern:2: 'window' needs a value", "window empty");
#define PREFILTER_WANT "': expected 'digits N SPAN [after SET] [checked] [groups G]' " \
	"(N and G from 1 to 64, SPAN at most 256, SET printable ASCII and ranges such " \
	"as A-Z) or 'literal STR SPAN'"
	expect_error("type x\nprefilter digits 0 4\n",
	    "t.pattern:2: prefilter 'digits 0 4" PREFILTER_WANT, "prefilter with no digits");
	expect_error("type x\nprefilter letters 3 1\n",
	    "t.pattern:2: prefilter 'letters 3 1" PREFILTER_WANT, "prefilter of another kind");
	expect_error("type x\nprefilter digits 6 2 after\n",
	    "t.pattern:2: prefilter 'digits 6 2 after" PREFILTER_WANT, "prefilter after nothing");
	expect_error("type x\nprefilter digits 6 2 after Z-A\n",
	    "t.pattern:2: prefilter 'digits 6 2 after Z-A" PREFILTER_WANT,
	    "prefilter after a backward range");
	expect_error("type x\nprefilter digits 6 2 before A-Z\n",
	    "t.pattern:2: prefilter 'digits 6 2 before A-Z" PREFILTER_WANT,
	    "prefilter with another condition");
	expect_error("type x\nprefilter digits 6 2 after A-Z x\n",
	    "t.pattern:2: prefilter 'digits 6 2 after A-Z x" PREFILTER_WANT,
	    "prefilter with more after the set");
	expect_error("type x\nprefilter digits 6 2 checked checked\n",
	    "t.pattern:2: prefilter 'digits 6 2 checked checked" PREFILTER_WANT,
	    "prefilter checked twice");
	expect_error("type x\nprefilter digits 8 8 groups 0\n",
	    "t.pattern:2: prefilter 'digits 8 8 groups 0" PREFILTER_WANT, "prefilter groups of 0");
	expect_error("type x\nprefilter digits 8 8 groups 65\n",
	    "t.pattern:2: prefilter 'digits 8 8 groups 65" PREFILTER_WANT,
	    "prefilter groups over 64");
	expect_error("type x\nprefilter digits 8 8 groups\n",
	    "t.pattern:2: prefilter 'digits 8 8 groups" PREFILTER_WANT, "prefilter groups of nothing");
	expect_error("type x\nprefilter digits 8 8 groups 4 groups 4\n",
	    "t.pattern:2: prefilter 'digits 8 8 groups 4 groups 4" PREFILTER_WANT,
	    "prefilter groups twice");
	expect_error("type x\nprefilter digits 6 2 after A-Z after a-z\n",
	    "t.pattern:2: prefilter 'digits 6 2 after A-Z after a-z" PREFILTER_WANT,
	    "prefilter after twice");
	{
		char text[512];

		snprintf(text, sizeof text, "%sprefilter digits 6 2 checked after A-Z\n",
		    good_type);
		is_int(parse(text), PS_OK, "prefilter: checked and after, in either order");
		snprintf(text, sizeof text, "%sprefilter digits 8 8 groups 4 after A-Z checked\n",
		    good_type);
		is_int(parse(text), PS_OK, "prefilter: groups among the others");
	}
	{
		char text[512];

		snprintf(text, sizeof text, "%s%s", good_type, good_type);
		expect_error(text, "t.pattern:5: type 'thing' defined twice in this file",
		    "type defined twice");
	}
	{
		char text[512];

		snprintf(text, sizeof text, "%sprefilter literal @ 254\n", good_type);
		is_int(parse(text), PS_OK, "prefilter literal");
		snprintf(text, sizeof text, "%scontext medium\ntest 4111\ntest 12\n", good_type);
		is_int(parse(text), PS_OK, "context and test values");
	}
	expect_error("type x\nprefilter literal abcdefghi 4\n",
	    "t.pattern:2: prefilter 'literal abcdefghi 4': expected 'literal STR SPAN' "
	    "(STR 1 to 8 printable ASCII bytes, SPAN at most 256)", "literal too long");
	expect_error("type x\nprefilter literal @ 300\n",
	    "t.pattern:2: prefilter 'literal @ 300': expected 'literal STR SPAN' "
	    "(STR 1 to 8 printable ASCII bytes, SPAN at most 256)", "literal span too wide");
	expect_error("type x\nprefilter literal @\n",
	    "t.pattern:2: prefilter 'literal @': expected 'literal STR SPAN' "
	    "(STR 1 to 8 printable ASCII bytes, SPAN at most 256)", "literal without span");
	expect_error("type x\ncontext low\n",
	    "t.pattern:2: context 'low': the confidence a keyword gives, medium or high",
	    "context low");
	expect_error("type x\ntest 41 11\n",
	    "t.pattern:2: test '41 11': a normalised value, no spaces, at most 256 bytes",
	    "test value with a space");
	is_int(parse("# only a comment\n\n   \n"), PS_OK, "comments and blank lines");
	is_int(parse(good_type), PS_OK, "a minimal type");
	is_int(parse("type x\r\nnormalise digits\r\nmask first6last4\r\nmatch medium [0-9]{4}\r\n"),
	    PS_OK, "CRLF line ends");
}

static void
test_override(void)
{
	struct ps_patterns *set = NULL;
	char dir[] = "/tmp/piiscan-patterns.XXXXXX", path[600];
	FILE *f;
	long card, thing;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/a.pattern", dir);
	f = fopen(path, "w");
	fputs("format 1\ntype card\nlabel Only sixteen\nvalidator luhn\nnormalise digits\n"
	    "mask first6last4\nmatch medium (?<![0-9])[0-9]{16}(?![0-9])\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/b.pattern", dir);
	f = fopen(path, "w");
	fputs(good_type, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/ignored.txt", dir);
	f = fopen(path, "w");
	fputs("not a pattern file\n", f);
	fclose(f);

	is_int(ps_patterns_load(dir, &set, why, sizeof why), PS_OK, "directory loads");
	if (set != NULL) {
		card = ps_patterns_find_type(set, "card");
		thing = ps_patterns_find_type(set, "thing");
		is_int(set->ntypes, 8, "card replaced, thing added");
		is_str(set->types[card].label, "Only sixteen", "replacement label");
		is_str(set->types[card].validator_name, "luhn", "replacement validator");
		is_int(set->types[card].nkeywords, 0, "replacement has its own keywords");
		ok(thing >= 0, "new type added");
		is_int(set->nregexes, 12, "card's three regexes replaced by one");
		ok(strstr(set->types[card].source, "/a.pattern") != NULL, "source names the file");
		ps_patterns_free(set);
	}
	snprintf(path, sizeof path, "%s/c.pattern", dir);
	f = fopen(path, "w");
	fputs("type broken\n", f);
	fclose(f);
	set = NULL;
	is_int(ps_patterns_load(dir, &set, why, sizeof why), PS_ERR_SYNTAX,
	    "a broken file in the directory stops loading");
	ok(strstr(why, "/c.pattern:2: type 'broken' has no 'match' line") != NULL,
	    "the broken file is named with its line");
	ok(set == NULL, "nothing returned on error");
	is_int(ps_patterns_load("/nonexistent/dir", &set, why, sizeof why), PS_ERR_IO,
	    "a missing directory is an error");
	is_str(why, "/nonexistent/dir: No such file or directory", "missing directory: message");

	unlink(path);
	snprintf(path, sizeof path, "%s/a.pattern", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/b.pattern", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/ignored.txt", dir);
	unlink(path);
	rmdir(dir);
}

static void
test_select(void)
{
	struct ps_patterns *set = NULL, *all = NULL;

	is_int(ps_patterns_load_types(NULL, "hkid,card", &set, why, sizeof why), PS_OK,
	    "--types hkid,card loads");
	if (set != NULL) {
		is_int(set->ntypes, 2, "two types kept");
		is_str(set->types[0].id, "card", "in the pattern set's order");
		is_int(set->nregexes, 6, "their match lines only");
		ok(set->regexes[5].type == 1, "match lines renumbered");
		is_int(set->prefilter_digits, 6, "the prefilter of the types kept");
		if (ps_patterns_load(NULL, &all, why, sizeof why) == PS_OK)
			ok(strcmp(set->sha256, all->sha256) != 0, "another digest");
		ps_patterns_free(all);
		ps_patterns_free(set);
	}
	set = NULL;
	is_int(ps_patterns_load_types(NULL, "card,passport", &set, why, sizeof why),
	    PS_ERR_SYNTAX, "an unknown type is refused");
	is_str(why, "unknown type 'passport'; the types are card, hkid, cn_id, mrz, "
	    "iban, email, phone_hk", "unknown type: message");
	ok(set == NULL, "nothing returned");
}

int
main(void)
{
	test_builtins();
	test_select();
	test_errors();
	test_override();
	return done_testing();
}
