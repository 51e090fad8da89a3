# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# What testbed/bench/storage-record and storage-eval share, sourced after their option parsing (they
# define say()): the lab up, the co-located workload's binary and file, the device behind the lab's
# state dir, and per-second stamping of output lines.

LAB_STATE=${MIGOV_LAB_STATE:-/var/lib/migov-lab}
# testbed/lab migrate polls the job 4 times a second by default (a virsh process each time): on 2 cores
# that CPU is felt by a CPU-hungry neighbour; progress every 2 s is all these benches need
export MIGOV_LAB_POLL_S=${MIGOV_LAB_POLL_S:-2}
diskio=${MIGOV_LAB_CACHE:-/var/cache/migov-lab}/guest-bin/diskio
colo_file=$LAB_STATE/colo.img

# storage_lab_up: deps and the lab up; sets dev, the /proc/diskstats name of the device behind LAB_STATE
storage_lab_up() {
    local src
    say "lab deps and up"
    testbed/lab deps >/dev/null 2>&1 || testbed/lab deps
    testbed/lab up >/dev/null
    [ -x "$diskio" ] || { say "$diskio missing after testbed/lab deps"; exit 1; }
    src=$(findmnt -no SOURCE --target "$LAB_STATE")
    dev=$(basename "$(readlink -f "$src")")
    grep -q " $dev " /proc/diskstats || { say "the device behind $LAB_STATE ($src → $dev) is not in /proc/diskstats"; exit 1; }
}

# colo_file_ready: the co-located workload's 2 GiB file of random data, written once
colo_file_ready() {
    if [ ! -f "$colo_file" ] || [ "$(stat -c %s "$colo_file")" -ne $((2048 * 1048576)) ]; then
        say "writing the co-located workload's 2 GiB file $colo_file"
        dd if=/dev/urandom of="$colo_file" bs=1M count=2048 conv=fsync status=none
    fi
}

now_s() { echo $(( (${EPOCHREALTIME/./} + 500000) / 1000000 )); } # epoch seconds, rounded
# stamp: every line prefixed with the second it arrived in, to join streams by second
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(( (${EPOCHREALTIME/./} + 500000) / 1000000 ))" "$l"; done; } # no fork per line
