// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop (virEventRegisterDefaultImpl + virEventRunDefaultImpl) on one daemon
 * thread per JVM. It must run before the first connection is opened: keepalive, the close callback
 * and domain events are all dispatched from it, on that thread.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    static final String THREAD_NAME = "libvirt-event-loop";
    private static Thread thread;
    /** libvirt's errors reach us as exceptions; its default handler would also print each to stderr. */
    private static final VirNative.ErrorCallback QUIET_ERRORS = (userData, error) -> {
        if (LOG.isTraceEnabled() && error != null) {
            VirError e = new VirError(error);
            LOG.trace("libvirt error {}: {}", e.code, e.messageText());
        }
    };

    private EventLoop() {
    }

    /**
     * Silences libvirt's stderr error printing, registers libvirt's default event implementation
     * and starts its thread, once.
     */
    static synchronized void ensureStarted() throws LibvirtException {
        if (thread != null) {
            return;
        }
        quietErrors();
        Library.initEventLoop();
        Thread t = new Thread(EventLoop::run, THREAD_NAME);
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    /** Replaces libvirt's default error handler, which prints every error to stderr (idempotent). */
    static void quietErrors() {
        VirNative.LIB.virSetErrorFunc(null, QUIET_ERRORS);
    }

    private static void run() {
        boolean logged = false;
        while (true) {
            try {
                Library.runEventLoop();
                return; // stopEventLoop was called
            } catch (InterruptedException e) {
                return;
            } catch (LibvirtException | RuntimeException e) {
                if (!logged) {
                    LOG.warn("libvirt event loop iteration failed (further failures at debug): {}", e.toString());
                    logged = true;
                } else {
                    LOG.debug("libvirt event loop iteration failed: {}", e.toString());
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
