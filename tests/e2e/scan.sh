. "$TOP_SRCDIR/tests/e2e/lib.sh"
echo "ok 1 - placeholder"
echo 1..1
