# lib.sh - TAP helpers and set-up shared by the end-to-end tests.
# Sourced by each tests/e2e/*.sh; needs PIISCAN, FIXTURE (set by make check).

set -u
: "${PIISCAN:?run through make check}"
: "${FIXTURE:?run through make check}"

T=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-test.XXXXXX")
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export XDG_CONFIG_HOME="$T/config"
# A fixed key makes value hashes reproducible: 00 01 02 ... 1f.
TEST_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
printf '%s\n' "$TEST_KEY" > "$T/key"
chmod 600 "$T/key"

# PIISCAN_VALGRIND=1: every run of piiscan under valgrind's memcheck; an
# error or a definite leak makes it exit 97 (make check-valgrind).
if [ -n "${PIISCAN_VALGRIND:-}" ]; then
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite "%s" "$@"\n' \
	    "$PIISCAN" > "$T/valgrind-piiscan"
	chmod 755 "$T/valgrind-piiscan"
	PIISCAN="$T/valgrind-piiscan"
fi

tap_n=0
tap_failed=0

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

is() {   # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
	fi
}

same_file() {   # same_file GOT WANT DESCRIPTION: show a diff on failure
	if diff -u "$2" "$1" > "$T/diff.out" 2>&1; then
		ok 0 "$3"
	else
		ok 1 "$3"
		sed 's/^/# /' "$T/diff.out" | head -40
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# run_piiscan ARGS...: runs the binary, keeping stdout, stderr, status.
run_piiscan() {
	"$PIISCAN" "$@" > "$T/stdout" 2> "$T/stderr"
	status=$?
	return 0
}

# scan_dir DIR ARGS...: scan DIR into a fresh $T/dir.db under runlimit (60
# s, 1 GiB; its peak RSS on stderr), keeping stdout, stderr and status;
# every record, low confidence ones too, exported to $T/export.
scan_dir() {
	local dir=$1
	shift
	rm -f "$T/dir.db"
	RUNLIMIT_VERBOSE=1 "$RUNLIMIT" 60 1024 "$PIISCAN" scan --db "$T/dir.db" \
	    --key-file "$T/key" --no-progress "$@" "$dir" > "$T/stdout" 2> "$T/stderr"
	status=$?
	"$PIISCAN" export --db "$T/dir.db" --min-confidence low > "$T/export"
}

# file_findings PATH: "member where type confidence masked" of each finding
# of the file PATH in $T/export, sorted.
file_findings() {
	sed -n "s|^{\"record\":\"finding\",\"path\":\"$1\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\".*|\1 \2 \3 \4 \5|p" "$T/export" | LC_ALL=C sort
}

# The finding records of an export, one tab-separated line each:
# path (relative to $2), where, type, confidence, masked, value_hash.
findings_of() {   # findings_of EXPORT ROOT
	sed -n "s|^{\"record\":\"finding\",\"path\":\"$2/\([^\"]*\)\",\"member\":\"\([^\"]*\)\",\"where\":\"\([^\"]*\)\",\"type\":\"\([^\"]*\)\",\"confidence\":\"\([^\"]*\)\",\"masked\":\"\([^\"]*\)\",\"value_hash\":\"\([^\"]*\)\"}\$|\1	\3	\4	\5	\6	\7|p" "$1" | LC_ALL=C sort
}

# HMAC-SHA-256 of TYPE:VALUE under the test key, computed by openssl.
hmac_of() {   # hmac_of TYPE VALUE
	printf '%s:%s' "$1" "$2" |
		"$OPENSSL" dgst -sha256 -mac HMAC -macopt "hexkey:$TEST_KEY" |
		sed 's/^.*= *//'
}
