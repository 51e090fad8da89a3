#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Host-side tests for the guest workloads: output contract, argument errors,
# integrity fault injection, rate accuracy, network paths (127.0.0.1 only).
# Usage: check.sh BIN_DIR        (run by `make check`; about 10 s wall time)
set -u
BIN=${1:?usage: check.sh BIN_DIR}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/migov-guest-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
# Pseudo-random base so parallel runs on one machine rarely collide on ports.
BASE=$((20000 + $$ % 20000))
FAILS=0
PASSES=0

ok() { PASSES=$((PASSES + 1)); }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }

# has FILE ERE DESC: some line of FILE matches ERE.
has() { if grep -Eq -- "$2" "$1"; then ok; else fail "$3: no line matching /$2/ in $1:"; sed 's/^/    /' "$1" >&2; fi; }
# hasnt FILE ERE DESC
hasnt() { if grep -Eq -- "$2" "$1"; then fail "$3: unexpected line matching /$2/:"; grep -E -- "$2" "$1" | sed 's/^/    /' >&2; else ok; fi; }
# contract FILE PROG TAIL_ERE SECONDS: exactly one ready line, first; then per-second
# lines t=1..SECONDS, every "MIGOV PROG t=" line matching the full format.
contract() {
    f=$1 p=$2 tail=$3 n=$4
    if [ "$(grep -c "^MIGOV $p ready" "$f")" = 1 ] && head -n 1 "$f" | grep -q "^MIGOV $p ready"; then ok; else
        fail "$p: expected exactly one ready line, first"; sed 's/^/    /' "$f" >&2; fi
    bad=$(grep "^MIGOV $p t=" "$f" | grep -Ev "^MIGOV $p t=[0-9]+ ops=[0-9]+$tail\$")
    if [ -z "$bad" ]; then ok; else fail "$p: malformed per-second line(s): $bad"; fi
    i=1
    while [ "$i" -le "$n" ]; do
        has "$f" "^MIGOV $p t=$i ops=[0-9]+$tail\$" "$p: per-second line t=$i"
        i=$((i + 1))
    done
}
# rc_is WANT GOT DESC
rc_is() { if [ "$2" = "$1" ]; then ok; else fail "$3: exit code $2, expected $1"; fi; }
# bad_args "MESSAGE" PROG ARGS...: exit code 2 and MESSAGE (fixed string) on stderr, nothing on stdout.
bad_args() {
    msg=$1 p=$2
    shift 2
    "$BIN/$p" "$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
    rc=$?
    rc_is 2 "$rc" "$p $*"
    if grep -qF -- "$msg" "$TMP/bad.err"; then ok; else fail "$p $*: stderr lacks '$msg': $(cat "$TMP/bad.err")"; fi
    if [ -s "$TMP/bad.out" ]; then fail "$p $*: wrote to stdout on a bad argument"; else ok; fi
}
# ops_within FILE PROG LO HI: every per-second ops value in [LO, HI].
ops_within() {
    vals=$(sed -n "s/^MIGOV $2 t=[0-9]* ops=\([0-9]*\).*/\1/p" "$1")
    [ -n "$vals" ] || fail "$2: no ops values"
    for v in $vals; do
        if [ "$v" -ge "$3" ] && [ "$v" -le "$4" ]; then ok; else fail "$2: ops=$v outside [$3, $4]"; fi
    done
}
# sum_ops FILE PROG
sum_ops() { sed -n "s/^MIGOV $2 t=[0-9]* ops=\([0-9]*\).*/\1/p" "$1" | awk '{s += $1} END {print s + 0}'; }
# value FILE ERE_WITH_GROUP: last captured number.
last_field() { sed -n "s/$2/\1/p" "$1" | tail -n 1; }

echo "== argument errors"
bad_args "mwriter: --mib: expected a positive integer, got 'abc'" mwriter --mib abc --pages-per-sec 10
bad_args "mwriter: --mib: expected a positive integer, got '-1'" mwriter --mib -1 --pages-per-sec 10
bad_args "mwriter: --mib is required" mwriter --pages-per-sec 10
bad_args "mwriter: --pages-per-sec: expected a non-negative integer, got '1.5'" mwriter --mib 1 --pages-per-sec 1.5
bad_args "mwriter: --seconds: missing value" mwriter --mib 1 --pages-per-sec 1 --seconds
bad_args "mwriter: unknown argument '--bogus'" mwriter --mib 1 --pages-per-sec 1 --bogus
bad_args "integrity: --mib: expected a positive integer, got '0'" integrity --mib 0
bad_args "integrity: --inject-fault-after-sec: expected a non-negative integer, got 'x'" integrity --mib 1 --inject-fault-after-sec x
bad_args "phased: --phase: at least one phase is required" phased
bad_args "phased: --phase: a: cpu: expected an integer in 0..100, got '101'" phased --phase a:dur=1,cpu=101
bad_args "phased: --phase: a: unknown key 'speed'" phased --phase a:dur=1,speed=3
bad_args "phased: --phase: a: dur is required" phased --phase a:cpu=5
bad_args "phased: --phase: expected NAME:" phased --phase dur=1
bad_args "phased: --phase: a: out=8 needs --peer IP:PORT" phased --phase a:dur=1,out=8
bad_args "phased: --phase: a: in=8 needs --listen PORT" phased --phase a:dur=1,in=8
bad_args "phased: --peer: refusing '192.168.1.1:80'" phased --phase a:dur=1 --peer 192.168.1.1:80
bad_args "netsink: --port: expected an integer in 1..65535, got '70000'" netsink --port 70000
bad_args "netsource: --to: refusing '8.8.8.8:53'" netsource --to 8.8.8.8:53 --kib-per-sec 1
bad_args "netsource: --to: expected IPv4:PORT, got 'localhost:80'" netsource --to localhost:80 --kib-per-sec 1
bad_args "hostload: --to: refusing '10.78.0.1:9000'" hostload send --to 10.78.0.1:9000 --kib-per-sec 1 --seconds 1 --max-mib 1
bad_args "hostload: --to: refusing '8.8.8.8:53'" hostload send --to 8.8.8.8:53 --kib-per-sec 1 --seconds 1 --max-mib 1
bad_args "hostload: --listen: refusing '0.0.0.0:9000'" hostload recv --listen 0.0.0.0:9000 --seconds 1
bad_args "hostload: --seconds: expected an integer in 1..3600, got '3601'" hostload send --to 127.0.0.1:9 --kib-per-sec 1 --seconds 3601 --max-mib 1
bad_args "hostload: --max-mib: expected an integer in 1..4096, got '4097'" hostload send --to 127.0.0.1:9 --kib-per-sec 1 --seconds 1 --max-mib 4097
bad_args "hostload: send: --max-mib is required" hostload send --to 127.0.0.1:9 --kib-per-sec 1 --seconds 1
bad_args "hostload: send: --seconds is required" hostload send --to 127.0.0.1:9 --kib-per-sec 1 --max-mib 1
bad_args "hostload: expected a mode 'send' or 'recv', got 'push'" hostload push

echo "== workloads (parallel, ~5 s)"
P_SINK=$BASE P_LOAD=$((BASE + 1)) P_PSINK=$((BASE + 2)) P_PIN=$((BASE + 3))
"$BIN/mwriter" --mib 8 --pages-per-sec 2000 --seconds 2 >"$TMP/mwriter" 2>&1 &
pid_mw=$!
"$BIN/integrity" --mib 4 --pages-per-sec 500 --verify-pages-per-sec 2000 --seconds 2 >"$TMP/integrity" 2>&1 &
pid_in=$!
"$BIN/integrity" --mib 4 --seconds 3 --inject-fault-after-sec 1 >"$TMP/fault" 2>&1 &
pid_fa=$!
# netsource starts first: its first connects are refused, so the backoff path runs.
"$BIN/netsource" --to "127.0.0.1:$P_SINK" --kib-per-sec 256 --seconds 3 >"$TMP/netsource" 2>&1 &
pid_so=$!
"$BIN/hostload" recv --listen "127.0.0.1:$P_LOAD" --seconds 3 >"$TMP/hl_recv" 2>&1 &
pid_hr=$!
"$BIN/netsink" --port "$P_PSINK" --seconds 4 >"$TMP/psink" 2>&1 &
pid_ps=$!
"$BIN/phased" --phase "warm:dur=1,cpu=30,rate=500,mib=4,out=64" --phase "hot:dur=1,rate=1000,mib=8,in=64" \
    --loop --peer "127.0.0.1:$P_PSINK" --listen "$P_PIN" --seconds 3 >"$TMP/phased" 2>&1 &
pid_ph=$!
sleep 0.5
"$BIN/netsink" --port "$P_SINK" --seconds 2 >"$TMP/netsink" 2>&1 &
pid_si=$!
"$BIN/hostload" send --to "127.0.0.1:$P_LOAD" --kib-per-sec 1024 --seconds 2 --max-mib 1 >"$TMP/hl_send" 2>&1 &
pid_hs=$!
"$BIN/hostload" send --to "127.0.0.1:$P_PIN" --kib-per-sec 64 --seconds 2 --max-mib 1 >"$TMP/hl_phased" 2>&1 &
pid_hp=$!

wait $pid_mw; rc_is 0 $? "mwriter exit"
wait $pid_in; rc_is 0 $? "integrity exit"
wait $pid_fa; rc_is 1 $? "integrity with injected fault exit"
wait $pid_so; rc_is 0 $? "netsource exit"
wait $pid_hr; rc_is 0 $? "hostload recv exit"
wait $pid_ps; rc_is 0 $? "netsink (phased peer) exit"
wait $pid_ph; rc_is 0 $? "phased exit"
wait $pid_si; rc_is 0 $? "netsink exit"
wait $pid_hs; rc_is 0 $? "hostload send exit"
wait $pid_hp; rc_is 0 $? "hostload send (to phased) exit"

echo "== mwriter"
contract "$TMP/mwriter" mwriter " ws_mib=8" 2
ops_within "$TMP/mwriter" mwriter 1600 2400

echo "== integrity"
contract "$TMP/integrity" integrity " verified_pages=[0-9]+ failures=[0-9]+" 2
has "$TMP/integrity" "^MIGOV integrity t=2 ops=[0-9]+ verified_pages=[0-9]+ failures=0$" "integrity: clean run"
hasnt "$TMP/integrity" "FAIL" "integrity: clean run"
# 500 rewrites (each verified first) + 2000 verifications per second.
ops_within "$TMP/integrity" integrity 2400 3600
# The whole 1024-page working set must have been verified at least once in 2 s.
vp=$(last_field "$TMP/integrity" '^MIGOV integrity t=.* verified_pages=\([0-9]*\) .*')
if [ "${vp:-0}" -ge 1024 ]; then ok; else fail "integrity: verified_pages=$vp < 1024 pages"; fi

echo "== integrity fault injection"
contract "$TMP/fault" integrity " verified_pages=[0-9]+ failures=[0-9]+" 3
has "$TMP/fault" "^MIGOV integrity event=fault_injected page=512 word=7$" "fault: injected"
has "$TMP/fault" "^MIGOV INTEGRITY FAIL page=512 word=7 expected=0x[0-9a-f]{16} got=0x[0-9a-f]{16}$" "fault: FAIL line"
if [ "$(grep -c '^MIGOV INTEGRITY FAIL' "$TMP/fault")" = 1 ]; then ok; else fail "fault: expected exactly one FAIL line (repaired after report)"; fi
has "$TMP/fault" "^MIGOV integrity t=1 ops=[0-9]+ verified_pages=[0-9]+ failures=0$" "fault: no failure before injection"
has "$TMP/fault" "^MIGOV integrity t=3 ops=[0-9]+ verified_pages=[0-9]+ failures=1$" "fault: failure counted"

echo "== netsource -> netsink (reconnect after refused connects)"
contract "$TMP/netsource" netsource "" 3
contract "$TMP/netsink" netsink "" 2
has "$TMP/netsource" "^MIGOV netsource event=connect_failed peer=127.0.0.1:$P_SINK error=ECONNREFUSED$" "netsource: refused first"
has "$TMP/netsource" "^MIGOV netsource event=connected peer=127.0.0.1:$P_SINK$" "netsource: reconnected"
got=$(sum_ops "$TMP/netsink" netsink)
if [ "$got" -gt 200000 ]; then ok; else fail "netsink received only $got bytes"; fi
# At t=2 the source has been connected for the whole second: 256 KiB/s +-20%.
v=$(last_field "$TMP/netsource" '^MIGOV netsource t=2 ops=\([0-9]*\)$')
if [ "${v:-0}" -ge 209715 ] && [ "${v:-0}" -le 314573 ]; then ok; else fail "netsource t=2 ops=$v not 262144 +-20%"; fi

echo "== hostload (byte bound)"
contract "$TMP/hl_recv" hostload "" 3
has "$TMP/hl_send" "^MIGOV hostload ready mode=send to=127.0.0.1:$P_LOAD kib_per_sec=1024 seconds=2 max_mib=1$" "hostload send ready"
has "$TMP/hl_send" "^MIGOV hostload event=finished total_bytes=1048576 reason=max_mib$" "hostload send stops at --max-mib"
sent=$(sum_ops "$TMP/hl_send" hostload)
recv=$(sum_ops "$TMP/hl_recv" hostload)
if [ "$sent" = 1048576 ] && [ "$recv" = 1048576 ]; then ok; else fail "hostload: sent=$sent recv=$recv, expected 1048576 each"; fi

echo "== phased"
contract "$TMP/phased" phased " phase=[A-Za-z0-9_.-]+ net_in_bytes=[0-9]+ net_out_bytes=[0-9]+" 3
has "$TMP/phased" "^MIGOV phased ready phases=2 loop=1$" "phased ready"
if [ "$(grep -c '^MIGOV phased phase=0 name=warm$' "$TMP/phased")" = 2 ]; then ok; else fail "phased: phase 0 should start twice (--loop)"; fi
has "$TMP/phased" "^MIGOV phased phase=1 name=hot$" "phased: second phase"
has "$TMP/phased" "^MIGOV phased t=1 ops=[1-9][0-9]* phase=warm net_in_bytes=[0-9]+ net_out_bytes=[1-9][0-9]*$" "phased: warm sends"
has "$TMP/phased" "^MIGOV phased t=2 ops=[1-9][0-9]* phase=hot net_in_bytes=[1-9][0-9]* net_out_bytes=0$" "phased: hot receives, sends nothing"
got=$(sum_ops "$TMP/psink" netsink)
if [ "$got" -gt 50000 ]; then ok; else fail "phased -> netsink delivered only $got bytes"; fi

echo "== phased without --loop ends after its phases"
"$BIN/phased" --phase "a:dur=1,cpu=10" --phase "b:dur=1,mib=1" >"$TMP/phased2" 2>&1
rc_is 0 $? "phased (no loop) exit"
has "$TMP/phased2" "^MIGOV phased done t=2$" "phased: done line"

echo "== diskio: paced writes, then reads back the same file, bad arguments"
dd if=/dev/zero of="$TMP/disk.img" bs=1M count=8 status=none
"$BIN/diskio" --path "$TMP/disk.img" --pattern seqwrite --bs-kib 4 --iops 500 --seconds 2 >"$TMP/diskio" 2>&1
rc_is 0 $? "diskio exit"
contract "$TMP/diskio" diskio " bytes=[0-9]+ errors=0" 2
ops_within "$TMP/diskio" diskio 400 600
if [ "$(od -An -tx8 -N8 "$TMP/disk.img" | tr -d ' ')" != 0000000000000000 ]; then ok; else fail "diskio: seqwrite left the first block zero"; fi
"$BIN/diskio" --path "$TMP/disk.img" --pattern randread --bs-kib 8 --seconds 1 >"$TMP/diskio2" 2>&1
rc_is 0 $? "diskio randread exit"
has "$TMP/diskio2" "^MIGOV diskio t=1 ops=[1-9][0-9]* bytes=[1-9][0-9]* errors=0$" "diskio: randread reads"
bad_args "diskio: --pattern: 'sideways' is not one of seqread|randread|seqwrite|randwrite" diskio --path "$TMP/disk.img" --pattern sideways
bad_args "diskio: --bs-kib: 6 is not a multiple of 4 (direct I/O needs aligned blocks)" diskio --path "$TMP/disk.img" --pattern seqread --bs-kib 6
bad_args "diskio: --span-mib: 9 MiB is more than '$TMP/disk.img' holds (8 MiB)" diskio --path "$TMP/disk.img" --pattern seqread --span-mib 9
bad_args "diskio: --path is required" diskio --pattern seqread

echo "passed $PASSES checks, failed $FAILS"
[ "$FAILS" = 0 ]
