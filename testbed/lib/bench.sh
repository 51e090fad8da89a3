# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# testbed/lab bench: workloads × policies × repetitions, each run a real migration steered by a
# migov daemon running the policy. Sourced by testbed/lab (uses its helpers: log, die, cmd_vm_start,
# cmd_migrate, console_log, demo_build, now_ms, uri, record_after, json_field, at_pass …).

BENCH_WARMUP_S=${MIGOV_BENCH_WARMUP_S:-20}
BENCH_TIMEOUT_S=${MIGOV_BENCH_TIMEOUT_S:-90}
BENCH_BW=100
BENCH_STATE_SPACE='write'
BENCH_DAEMON_EXTRA_JSON=''
BENCH_VM_IP=10.77.0.70
BENCH_ALL_WORKLOADS=(idle light medium heavy readmostly bursty latewriter quiet netin netout)
BENCH_ALL_POLICIES=(migov algorithm1 precopy postcopy-after-precopy 'hybrid(3)' 'hybrid(4)' 'hybrid(5)' always-postcopy nova nova-force-complete kubevirt-stall)
BENCH_CSV_HEADER=workload,policy,rep,outcome,completed,total_time_ms,downtime_ms,bytes_sent,passes,postcopy_requests,action,action_iteration,integrity_failures,ops_before,ops_during,degradation,reason
declare -A BENCH_PID=()
BENCH_LOAD_PID=

# bench_workload NAME: prints "PROGRAM|GUEST COMMAND" (PROGRAM: whose per-second ops measure the application)
bench_workload() {
    local writer=256 late=$((BENCH_WARMUP_S + 1))
    case "$1" in
        idle) echo "integrity|integrity --mib 8 --pages-per-sec 10 --verify-pages-per-sec 500" ;;
        light) echo "mwriter|mwriter --mib 32 --pages-per-sec 500" ;;
        medium) echo "mwriter|mwriter --mib 128 --pages-per-sec 8000" ;;
        heavy) echo "mwriter|mwriter --mib $writer --pages-per-sec 200000" ;;
        readmostly) echo "integrity|integrity --mib 384 --pages-per-sec 200 --verify-pages-per-sec 20000" ;;
        bursty) echo "phased|phased --phase on:dur=3,rate=200000,mib=$writer --phase off:dur=3,mib=$writer --loop" ;;
        # holds 256 MiB without writing until ~1 s into the migration (the warm-up counts from the guest's ready
        # line), so pass 1 still has that data to send when the writer starts, then writes it flat out
        latewriter) echo "phased|phased --phase idle:dur=$late,cpu=2,mib=$writer --phase writer:dur=3600,rate=200000,mib=$writer" ;;
        # heavy for 10 s, then holds the memory without writing: quiet for 10 s when the migration starts
        quiet) echo "phased|phased --phase burst:dur=$((BENCH_WARMUP_S - 10)),rate=200000,mib=$writer --phase quiet:dur=3600,cpu=2,mib=$writer" ;;
        netin) echo "netsink|netsink --port 7710" ;;
        netout) echo "netsource|netsource --to 10.77.0.254:7711 --kib-per-sec 40960" ;;
        *) die "bench: unknown workload '$1' (one of: ${BENCH_ALL_WORKLOADS[*]})" ;;
    esac
}

bench_daemon_start() { # bench_daemon_start HOST POLICY DIR
    lab_daemon_start "$1" "$3/migov-$1" enforce "$2" "$BENCH_STATE_SPACE" "$BENCH_DAEMON_EXTRA_JSON"
    BENCH_PID[$1]=$LAB_DAEMON_PID
}

bench_daemons_stop() {
    local h p
    for h in A B; do
        p=${BENCH_PID[$h]:-}
        [ -n "$p" ] || continue
        kill -TERM "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
        rm -f "$LAB_STATE/pids/migov-$h.pid"
        unset 'BENCH_PID[$h]'
    done
}

bench_load_stop() {
    if [ -n "$BENCH_LOAD_PID" ]; then
        kill "$BENCH_LOAD_PID" 2>/dev/null || true
        wait "$BENCH_LOAD_PID" 2>/dev/null || true
        BENCH_LOAD_PID=
    fi
}

bench_cleanup() {
    bench_load_stop
    bench_daemons_stop
    if [ -n "$(vm_hosts bench-vm 2>/dev/null)" ]; then cmd_vm_stop bench-vm >/dev/null 2>&1 || true; fi
}

# bench_ops CONSOLE PROG FROM_LINE TO_LINE: total ops of PROG's per-second lines in that line range,
# and how many seconds they cover (from the t= labels, so a paused guest's gap counts)
bench_ops() {
    sed -n "${3},${4}p" "$1" | awk -v p="MIGOV $2 t=" '
        index($0, p) { split($0, a, "t="); split(a[2], b, " "); t = b[1] + 0
                       if (match($0, / ops=[0-9]+/)) { ops += substr($0, RSTART + 5, RLENGTH - 5) }
                       if (first == "") first = t; last = t; n++ }
        END { if (n == 0) { print "0 0" } else { span = last - first + 1; print ops, span } }'
}

bench_run() { # bench_run WORKLOAD POLICY REP INDEX RUNS BLOCKDIR: one run, by the daemons already serving BLOCKDIR
    local wl=$1 policy=$2 rep=$3 idx=$4 runs=$5 block=$6 prog cmd spec run con line rc=0 rec seen records
    spec=$(bench_workload "$wl")
    prog=${spec%%|*}
    cmd=${spec#*|}
    run=$BENCH_DIR/runs/$(printf '%03d' "$idx")-$wl-${policy//[()]/}-$rep
    mkdir -p "$run"
    records=$block/migov-A/state/migrations.jsonl
    seen=0
    [ -s "$records" ] && seen=$(wc -l <"$records")
    cmd_vm_start bench-vm --host A --workload "$cmd" --ip "$BENCH_VM_IP/24" >"$run/vm-start.txt"
    case "$wl" in
        netin) "$LAB_CACHE/guest-bin/hostload" send --to "$BENCH_VM_IP:7710" --kib-per-sec 40960 --seconds 300 --max-mib 4096 \
            >"$run/hostload.txt" 2>&1 & BENCH_LOAD_PID=$! ;;
        netout) "$LAB_CACHE/guest-bin/hostload" recv --listen 10.77.0.254:7711 --seconds 300 >"$run/hostload.txt" 2>&1 & BENCH_LOAD_PID=$! ;;
    esac
    sleep "$BENCH_WARMUP_S"
    con=$(console_log bench-vm)
    local n0 n1
    n0=$(wc -l <"$con")
    log "bench [$idx/$runs] $wl × $policy #$rep: migrating (a line per pass)"
    line=$(cmd_migrate bench-vm --from A --to B --mode postcopy-permitted --bandwidth "$BENCH_BW" --timeout "$BENCH_TIMEOUT_S" --verbose) || rc=$?
    echo "$line" >"$run/migrate.txt"
    sleep 2 # the guest's next per-second lines, and the daemon's record
    n1=$(wc -l <"$con")
    rec=$(record_after "$records" "$seen") || rec=
    echo "$rec" >"$run/record.json"
    bench_load_stop
    local during od sd deg fails
    during=$(bench_ops "$con" "$prog" $((n0 + 1)) "$n1")
    read -r od sd <<<"$during"
    # ops/s before: the last 10 s of the warm-up
    local obs ods
    obs=$(sed -n "$((n0 > 60 ? n0 - 60 : 1)),${n0}p" "$con" | grep "MIGOV $prog t=" | tail -10 | sed -nE 's/.* ops=([0-9]+).*/\1/p' \
        | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }')
    ods=$(awk -v o="$od" -v s="$sd" 'BEGIN { if (s > 0) printf "%.1f", o / s }')
    deg=$(awk -v a="$obs" -v b="$ods" 'BEGIN { if (a > 0 && b != "") printf "%.3f", b / a }')
    fails=$(grep -c 'MIGOV INTEGRITY FAIL' "$con" || true)
    cp "$con" "$run/console.log"
    cmd_vm_stop bench-vm >/dev/null 2>&1 || true
    local outcome total down bytes iters reqs action at reason completed
    outcome=$(sed -nE 's/.* outcome=([a-z]+).*/\1/p' <<<"$line")
    total=$(sed -nE 's/.* total_ms=([0-9]+).*/\1/p' <<<"$line")
    down=$(sed -nE 's/.* downtime_ms=([0-9]+).*/\1/p' <<<"$line")
    bytes=$(sed -nE 's/.* bytes=([0-9]+).*/\1/p' <<<"$line")
    iters=$(sed -nE 's/.* iterations=([0-9]+).*/\1/p' <<<"$line")
    reqs=$(sed -nE 's/.* postcopy_requests=([0-9]+).*/\1/p' <<<"$line")
    completed=false
    [ "$outcome" = completed ] && completed=true
    # the CSV's words predate the outcome vocabulary (testbed/README.md, "Outcome words") and stay, so that committed
    # results still compare: the lab's "cancelled" (its own --timeout) is "timeout" there; a policy's abort is in the record
    [ "$outcome" = cancelled ] && outcome=timeout
    [ "$(json_field "$rec" outcome)" = aborted ] && outcome=aborted
    action=$(json_field "$rec" action)
    at=$(json_field "$rec" action_iteration)
    reason=$(json_field "$rec" reason | tr ',"' ';'"'")
    echo "$wl,$policy,$rep,${outcome:-unknown},$completed,${total:--1},${down:--1},${bytes:--1},${iters:--1},${reqs:--1},${action:-unknown},${at:--1},${fails:-0},${obs},${ods},${deg},\"${reason}\"" \
        >>"$BENCH_DIR/results.csv"
    log "bench [$idx/$runs] $wl × $policy #$rep: ${outcome:-?} in ${total:-?} ms, downtime ${down:-?} ms, ${iters:-?} passes, ${reqs:-?} page requests, action ${action:-?}${at:+ $(at_pass "$at")}, degradation ${deg:-?}, integrity failures ${fails:-0}"
    [ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || log "bench: migration of run $idx failed (rc $rc): $line"
}

cmd_bench() {
    local workloads=("${BENCH_ALL_WORKLOADS[@]}") policies=("${BENCH_ALL_POLICIES[@]}") reps=3 out='' seed=1 prior='' prior_weight=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --workloads) IFS=, read -r -a workloads <<<"${2:-}"; shift ;;
            --policies) IFS=, read -r -a policies <<<"${2:-}"; shift ;;
            --reps) reps=${2:-}; shift ;;
            --out) out=${2:-}; shift ;;
            --seed) seed=${2:-}; shift ;;
            --state-space) BENCH_STATE_SPACE=${2:-}; shift ;;
            --prior) prior=${2:-}; shift ;;
            --prior-weight) prior_weight=${2:-}; shift ;;
            --smoke) workloads=(idle heavy); policies=(migov always-postcopy); reps=1 ;;
            *) die "bench: unknown option '$1' (--workloads a,b --policies x,y --reps N --out DIR --seed S --state-space usage|write|usage+write --prior FILE --prior-weight W --smoke)" ;;
        esac
        shift
    done
    need_root
    { [[ "$reps" =~ ^[0-9]+$ ]] && [ "$reps" -ge 1 ] && [ "$reps" -le 20 ]; } || die "bench: --reps must be 1..20, got '$reps'"
    [[ "$seed" =~ ^[0-9]+$ ]] || die "bench: --seed must be a number, got '$seed'"
    [[ "$BENCH_STATE_SPACE" =~ ^(usage|write|usage\+write)$ ]] || die "bench: --state-space must be usage, write or usage+write, got '$BENCH_STATE_SPACE'"
    [[ "$prior_weight" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bench: --prior-weight must be a number ≥ 0, got '$prior_weight'"
    BENCH_DAEMON_EXTRA_JSON=
    if [ -n "$prior" ]; then
        [ -r "$prior" ] || die "bench: --prior: cannot read '$prior'"
        [[ "$prior" != *[\"\\]* ]] || die "bench: --prior: a path without quotes or backslashes, got '$prior'"
        # the daemons validate the file (format, N×N, scheme) and refuse to start on a bad one
        BENCH_DAEMON_EXTRA_JSON="\"priorFile\":\"$(realpath "$prior")\",\"priorWeight\":$prior_weight"
    fi
    local w p
    for w in "${workloads[@]}"; do bench_workload "$w" >/dev/null; done
    for p in "${policies[@]}"; do
        [[ "$p" =~ ^(migov|algorithm1|precopy|postcopy-after-precopy|always-postcopy|nova|nova-force-complete|kubevirt-stall|hybrid\([1-9][0-9]{0,2}\))$ ]] \
            || die "bench: --policies: unknown policy '$p' (one of: ${BENCH_ALL_POLICIES[*]}, hybrid(m))"
    done
    cmd_deps
    demo_build
    cmd_up
    BENCH_DIR=${out:-$LAB_STATE/bench/$(date +%Y%m%d-%H%M%S)}
    mkdir -p "$BENCH_DIR/runs" "$BENCH_DIR/daemons" "$LAB_STATE/pids"
    BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
    echo "$BENCH_CSV_HEADER" >"$BENCH_DIR/results.csv"
    printf 'state_space=%s\nseed=%s\nreps=%s\nwarmup_s=%s\ntimeout_s=%s\nbandwidth_mibps=%s\nprior=%s\nprior_weight=%s\n' "$BENCH_STATE_SPACE" \
        "$seed" "$reps" "$BENCH_WARMUP_S" "$BENCH_TIMEOUT_S" "$BENCH_BW" "${prior:-uniform}" "$prior_weight" >"$BENCH_DIR/bench.env"
    trap bench_cleanup EXIT
    bench_cleanup
    # Each repetition runs every policy as one block (its daemons started once: a JVM start per run would
    # cost more than many migrations), policies in an order shuffled by the seed, and within a block the
    # workloads shuffled too, so drift on the host spreads over all policies. Every run has a fresh VM,
    # hence a fresh model, and the same warm-up.
    local r total=$((${#workloads[@]} * ${#policies[@]} * reps)) i=0 order block
    log "bench: $total runs (${#workloads[@]} workloads × ${#policies[@]} policies × $reps), warm-up ${BENCH_WARMUP_S} s, ${BENCH_BW} MiB/s, timeout ${BENCH_TIMEOUT_S} s, migov's state space $BENCH_STATE_SPACE; results in $BENCH_DIR"
    for r in $(seq "$reps"); do
        mapfile -t order < <(printf '%s\n' "${policies[@]}" | shuf --random-source=<(yes "$seed-$r"))
        for p in "${order[@]}"; do
            block=$BENCH_DIR/daemons/rep$r-${p//[()]/}
            log "bench: repetition $r, policy $p: starting its daemons"
            bench_daemon_start A "$p" "$block"
            bench_daemon_start B "$p" "$block"
            for w in $(printf '%s\n' "${workloads[@]}" | shuf --random-source=<(yes "$seed-$r-$p")); do
                i=$((i + 1))
                bench_run "$w" "$p" "$r" "$i" "$total" "$block"
            done
            bench_daemons_stop
        done
    done
    trap - EXIT
    bench_cleanup
    java -jar "$MIGOV_JAR" bench-report --csv "$BENCH_DIR/results.csv" --markdown "$BENCH_DIR/summary.md" --plots "$BENCH_DIR/plots" \
        || die "bench: bench-report failed"
    echo "bench finished: $BENCH_DIR/results.csv, $BENCH_DIR/summary.md, $BENCH_DIR/plots"
}

# bench_smoke_check DIR: the smoke's own assertions: every run has a row, a record and a known outcome,
# the idle guest was left to pre-copy by migov, the heavy writer completed under both policies
bench_smoke_check() {
    local csv=$1/results.csv rows
    rows=$(($(wc -l <"$csv") - 1))
    [ "$rows" -eq 4 ] || die "bench smoke: expected 4 runs in $csv, got $rows"
    grep -q '^idle,migov,1,completed,true,.*,0,none,' "$csv" || die "bench smoke: migov did not leave the idle guest to pre-copy: $(grep '^idle,migov' "$csv")"
    grep -q '^heavy,migov,1,completed,true,' "$csv" || die "bench smoke: the heavy writer did not complete under migov: $(grep '^heavy,migov' "$csv")"
    grep -q '^heavy,always-postcopy,1,completed,true,.*,switch_to_postcopy,0,' "$csv" \
        || die "bench smoke: always-postcopy did not switch at once on the heavy writer: $(grep '^heavy,always' "$csv")"
    if [ ! -s "$1/summary.md" ] || ! ls "$1"/plots/*.png >/dev/null 2>&1; then die "bench smoke: no summary or charts under $1"; fi
    log "bench smoke: 4 runs, records and summary as expected"
}
