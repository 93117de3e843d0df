# fuzz.sh - every fuzz target (tests/fuzz), built without libFuzzer, runs
# on its saved inputs (tests/fuzz/corpus/TARGET: seeds and the inputs
# that once crashed or hung it) within 60 s and 1 GiB; under the
# sanitizer build, with ASan and UBSan watching.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

for target in text csv zip gzip tar 7z rar xz docx xlsx pptx odt doc xls ppt msg pst eml mbox auto patterns match pdf rtf; do
	inputs="$TOP_SRCDIR/tests/fuzz/corpus/$target"
	"$RUNLIMIT" 60 1024 "$FUZZ_BUILDDIR/check_$target" "$inputs" \
	    > "$T/out" 2> "$T/err"
	rc=$?
	n=$(sed -n 's/^\([0-9]*\) inputs$/\1/p' "$T/out")
	if [ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		ok 0 "fuzz target $target: $n saved inputs"
	else
		ok 1 "fuzz target $target: exit $rc, ${n:-no} inputs"
		head -c 2000 "$T/err" | sed 's/^/# /'
	fi
done

done_testing
