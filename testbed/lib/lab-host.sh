#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Starts one lab "host" (libvirtd) — run by `testbed/lab up` as
#   ip netns exec labX unshare -u --mount --propagation private bash lab-host.sh X HOSTDIR CACHEDIR
# i.e. already inside the host's network namespace and a private UTS + mount namespace.
# Everything mounted here is private to this mount namespace and disappears with its last process.
set -euo pipefail

name=lab$1
hostdir=$2
cachedir=$3

mount -t tmpfs -o mode=0755,size=64m migov-lab-run /run
mkdir -p /run/libvirt /run/lock /run/user
bind() { # bind SRC DST
    if [ ! -e "$2" ]; then
        echo "lab-host: mount point $2 missing (is libvirt installed? run: testbed/lab deps)" >&2
        exit 1
    fi
    mount --bind "$1" "$2"
}
bind "$hostdir/run" /run/libvirt
bind "$hostdir/lib" /var/lib/libvirt
bind "$cachedir" /var/cache/libvirt
bind "$hostdir/log" /var/log/libvirt
bind "$hostdir/etc" /etc/libvirt
bind "$hostdir/hosts" /etc/hosts
hostname "$name"

# Pinned: libvirtd re-probes QEMU (9-16 s) whenever it starts on another CPU; the cache is kept.
# QEMU children get their affinity reset to all CPUs by libvirt (no <vcpu cpuset> in our XML).
exec taskset -c 0 /usr/sbin/libvirtd --daemon --listen \
    --pid-file "$hostdir/libvirtd.pid" --config "$hostdir/etc/libvirtd.conf"
