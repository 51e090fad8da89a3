#!/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0
# /init of the migov lab guest (busybox-static initramfs, built by `testbed/lab deps`).
#
# Kernel command line parameters it reads:
#   migov.name=NAME          domain name (only echoed)
#   migov.ip=ADDR/PREFIX     address for eth0 (virtio-net on the host's br0)
#   migov.workload=BASE64    base64 of the workload SPEC: one busybox `sh -c` line run with
#                            PATH=/bin (guest programs live there); "idle" = no workload.
#
# Console protocol (ttyS0): "MIGOV init ready ..." once the network is up; for the idle workload
# "MIGOV idle ready" then "MIGOV idle t=N ops=0" once per second; when the workload's shell exits:
# "MIGOV init workload-exit rc=N" (then the idle heartbeat keeps the guest visibly alive).
# shellcheck shell=sh disable=SC2013

/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox mount -t tmpfs -o mode=1777 tmpfs /tmp
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/tmp
exec </dev/null >/dev/console 2>&1

NAME=guest
IP=
WL=
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        migov.name=*) NAME=${arg#migov.name=} ;;
        migov.ip=*) IP=${arg#migov.ip=} ;;
        migov.workload=*) WL=${arg#migov.workload=} ;;
    esac
done

for m in $(cat /lib/modules/order 2>/dev/null); do
    if [ -f "/lib/modules/$m.ko" ]; then
        insmod "/lib/modules/$m.ko" || echo "MIGOV init warn insmod $m failed"
    fi
done

ip link set lo up
if [ -n "$IP" ]; then
    i=0
    while ! ip link show eth0 >/dev/null 2>&1; do
        i=$((i + 1))
        if [ "$i" -gt 50 ]; then echo "MIGOV init warn no eth0"; break; fi
        sleep 0.1
    done
    if ! ip link set eth0 up || ! ip addr add "$IP" dev eth0; then echo "MIGOV init warn eth0 setup failed"; fi
fi

SPEC=idle
if [ -n "$WL" ]; then
    SPEC=$(echo "$WL" | base64 -d 2>/dev/null) || SPEC=
    if [ -z "$SPEC" ]; then echo "MIGOV init warn cannot decode migov.workload"; SPEC=idle; fi
fi

echo "MIGOV init ready name=$NAME ip=${IP:-none} kernel=$(uname -r) mem_kib=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"

idle_loop() {
    t=0
    while :; do
        sleep 1
        t=$((t + 1))
        echo "MIGOV idle t=$t ops=0"
    done
}

if [ "$SPEC" = idle ]; then
    echo "MIGOV idle ready"
    idle_loop
fi

echo "MIGOV init workload: $SPEC"
sh -c "$SPEC"
echo "MIGOV init workload-exit rc=$?"
idle_loop
