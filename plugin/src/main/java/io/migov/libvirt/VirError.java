// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import java.nio.charset.StandardCharsets;

/**
 * libvirt's {@code virError} (virterror.h), as virGetLastError and the error callback hand it
 * over; owned by libvirt. Strings are pointers, read as UTF-8 (JNA's String fields would use the
 * platform encoding). Public because JNA instantiates and reads it by reflection.
 */
@Structure.FieldOrder({"code", "domain", "message", "level", "conn", "dom", "str1", "str2", "str3", "int1", "int2", "net"})
public final class VirError extends Structure {

    /** virErrorNumber. */
    public int code;
    /** virErrorDomain: the part of libvirt that raised it. */
    public int domain;
    public Pointer message;
    /** virErrorLevel. */
    public int level;
    public Pointer conn;
    public Pointer dom;
    public Pointer str1;
    public Pointer str2;
    public Pointer str3;
    public int int1;
    public int int2;
    public Pointer net;

    public VirError() {
    }

    /** The error at {@code p}, read. */
    public VirError(Pointer p) {
        super(p);
        read();
    }

    /** The human-readable message, or null. */
    String messageText() {
        return message == null ? null : message.getString(0, StandardCharsets.UTF_8.name());
    }
}
