// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.failsafe.ExecutionContext;
import dev.failsafe.RetryPolicy;
import io.migov.port.DirtyRate;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorException.Kind;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link Hypervisor} over libvirt: libvirt-java 0.5.4 where it has the call, a small JNA binding
 * ({@link VirNative}) where it does not. One libvirt call per method (plus, the first time a UUID
 * is used on a connection, one lookup of its domain handle), no deciding.
 *
 * <p>Connection handling: libvirt's event loop runs on its own daemon thread (once per JVM); a lost
 * connection (close callback, {@code isAlive} false, or a call failing with a connection error) is
 * reported once to the listener ({@link HypervisorListener#onConnectionLost}), logged once, and
 * re-opened in the background with exponential backoff ({@link Reconnecting}); events are
 * registered again and {@link HypervisorListener#onConnectionRestored} follows. Calls made
 * meanwhile fail at once with {@link Kind#CONNECTION}.
 */
public final class LibvirtHypervisor implements Hypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);

    public static final String DEFAULT_URI = "qemu:///system";

    /** Groups of the bulk statistics call: STATE | CPU_TOTAL | BALLOON | VCPU | INTERFACE | BLOCK. */
    static final int STATS_GROUPS = VirNative.VIR_DOMAIN_STATS_STATE | VirNative.VIR_DOMAIN_STATS_CPU_TOTAL
            | VirNative.VIR_DOMAIN_STATS_BALLOON | VirNative.VIR_DOMAIN_STATS_VCPU
            | VirNative.VIR_DOMAIN_STATS_INTERFACE | VirNative.VIR_DOMAIN_STATS_BLOCK;

    // virDomainModificationImpact, virDomainMetadataType
    static final int AFFECT_LIVE = 1;
    static final int AFFECT_CONFIG = 2;
    static final int METADATA_ELEMENT = 2;

    /** JNA callbacks handed to libvirt stay reachable for the life of the JVM (libvirt may call late). */
    private static final Set<Callback> CALLBACKS_KEPT = ConcurrentHashMap.newKeySet();

    private static final HypervisorListener NO_LISTENER = new HypervisorListener() {
    };

    /**
     * Settings of the adapter.
     *
     * @param uri                  libvirt connection URI
     * @param reconnectInitial     first delay before re-opening a lost connection (doubles per failure)
     * @param reconnectMax         cap of the reconnect delay
     * @param keepAliveIntervalS   libvirt keepalive interval in seconds (≤ 0: no keepalive)
     * @param keepAliveCount       unanswered keepalives before libvirt closes the connection
     * @param statsNoWait          add VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT to the bulk call
     *                             (skip stats of domains whose job would block the call)
     * @param failFast             {@link #open} throws when the first connection fails; otherwise it
     *                             returns disconnected and keeps trying in the background
     */
    public record Options(String uri, Duration reconnectInitial, Duration reconnectMax, int keepAliveIntervalS,
                          int keepAliveCount, boolean statsNoWait, boolean failFast) {

        public Options {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(reconnectInitial, "reconnectInitial");
            Objects.requireNonNull(reconnectMax, "reconnectMax");
            Reconnecting.policy(reconnectInitial, reconnectMax); // validates
        }

        /** 1 s doubling to 30 s, keepalive 5 s × 3, blocking stats, fail fast. */
        public static Options defaults(String uri) {
            return new Options(uri, Duration.ofSeconds(1), Duration.ofSeconds(30), 5, 3, false, true);
        }

        public Options withFailFast(boolean value) {
            return new Options(uri, reconnectInitial, reconnectMax, keepAliveIntervalS, keepAliveCount, statsNoWait,
                    value);
        }

        public Options withReconnect(Duration initial, Duration max) {
            return new Options(uri, initial, max, keepAliveIntervalS, keepAliveCount, statsNoWait, failFast);
        }

        public Options withStatsNoWait(boolean value) {
            return new Options(uri, reconnectInitial, reconnectMax, keepAliveIntervalS, keepAliveCount, value,
                    failFast);
        }
    }

    private final Options options;
    private final ScheduledExecutorService reconnector;
    private final Object stateLock = new Object();
    private final RetryPolicy<Session> reconnectPolicy;
    private volatile Session session;
    private volatile HypervisorListener listener = NO_LISTENER;
    private volatile boolean closed;
    // guarded by stateLock
    private long outageStartNanos;
    private CompletableFuture<Session> reconnecting;

    private final VirNative.LifecycleCallback lifecycleCallback = this::onLifecycleEvent;
    private final VirNative.MigrationIterationCallback iterationCallback = this::onIterationEvent;
    private final VirNative.JobCompletedCallback jobCompletedCallback = this::onJobCompletedEvent;

    private LibvirtHypervisor(Options options) {
        this.options = options;
        this.reconnectPolicy = Reconnecting.policy(options.reconnectInitial(), options.reconnectMax());
        this.reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "libvirt-reconnect");
            t.setDaemon(true);
            return t;
        });
        CALLBACKS_KEPT.add(lifecycleCallback);
        CALLBACKS_KEPT.add(iterationCallback);
        CALLBACKS_KEPT.add(jobCompletedCallback);
    }

    /** Opens {@code uri} with {@link Options#defaults}. */
    public static LibvirtHypervisor open(String uri) throws HypervisorException {
        return open(Options.defaults(uri));
    }

    /**
     * Starts the event loop (once per JVM) and opens the connection. With {@code failFast} a first
     * failure throws {@link Kind#CONNECTION}; without, the adapter is returned disconnected and
     * connects in the background.
     */
    public static LibvirtHypervisor open(Options options) throws HypervisorException {
        try {
            EventLoop.ensureStarted();
        } catch (LibvirtException e) {
            throw LibvirtErrors.of("virEventRegisterDefaultImpl", e);
        }
        LibvirtHypervisor hv = new LibvirtHypervisor(options);
        try {
            hv.session = hv.openSession();
            LOG.info("connected to libvirt at {}", options.uri());
        } catch (HypervisorException e) {
            if (options.failFast()) {
                hv.close();
                throw e;
            }
            LOG.warn("cannot connect to libvirt at {} ({}); retrying in the background", options.uri(),
                    e.getMessage());
            synchronized (hv.stateLock) {
                hv.outageStartNanos = System.nanoTime();
            }
            hv.reconnect(e, false);
        }
        return hv;
    }

    // ------------------------------------------------------------------ Hypervisor

    @Override
    public String uri() {
        return options.uri();
    }

    @Override
    public boolean connected() {
        Session s = session;
        if (s == null || s.closed) {
            return false;
        }
        if (alive(s)) {
            return true;
        }
        connectionLost(s, "connection is no longer alive");
        return false;
    }

    @Override
    public List<DomainStats> runningDomainStats() throws HypervisorException {
        String fn = "virConnectGetAllDomainStats";
        int flags = VirNative.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
                | (options.statsNoWait() ? VirNative.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT : 0);
        return call(fn, null, s -> {
            PointerByReference ref = new PointerByReference();
            int n = VirNative.LIB.virConnectGetAllDomainStats(s.vcp, STATS_GROUPS, ref, flags);
            if (n < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            Pointer records = ref.getValue();
            if (records == null) {
                return List.of();
            }
            try {
                List<DomainStats> out = new ArrayList<>(n);
                Set<String> seen = new HashSet<>();
                for (Pointer p : records.getPointerArray(0)) { // NULL-terminated
                    Pointer dom = VirDomainStatsRecord.domAt(p);
                    String uuid = uuidOf(dom);
                    String name = VirNative.LIB.virDomainGetName(dom);
                    out.add(StatsMapping.domainStats(uuid, name == null ? uuid : name,
                            TypedParams.read(VirDomainStatsRecord.paramsAt(p), VirDomainStatsRecord.nparamsAt(p))));
                    seen.add(uuid);
                }
                // handles of domains no longer running here are released (later, when no call uses them)
                for (String uuid : s.domains.keySet()) {
                    if (!seen.contains(uuid)) {
                        s.retire(uuid);
                    }
                }
                return out;
            } finally {
                VirNative.LIB.virDomainStatsRecordListFree(records);
            }
        });
    }

    @Override
    public JobStats jobStats(String uuid) throws HypervisorException {
        String fn = "virDomainGetJobStats";
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> {
            Domain d = javaDomain(s, uuid);
            try {
                DomainJobStats js = d.getJobStats(0);
                return StatsMapping.jobStats(js.type, js.stats);
            } catch (LibvirtException e) {
                throw LibvirtErrors.of(fn, e);
            }
        });
    }

    /** Through JNA: libvirt-java's {@code Domain.getInfo()} gives the state without its reason. */
    @Override
    public DomainState domainState(String uuid) throws HypervisorException {
        String fn = "virDomainGetState";
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> {
            IntByReference state = new IntByReference();
            IntByReference reason = new IntByReference();
            if (VirNative.LIB.virDomainGetState(rawDomain(s, uuid), state, reason, 0) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return new DomainState(state.getValue(), reason.getValue());
        });
    }

    @Override
    public void startPostCopy(String uuid) throws HypervisorException {
        String fn = "virDomainMigrateStartPostCopy";
        Objects.requireNonNull(uuid, "uuid");
        call(fn, uuid, s -> {
            if (VirNative.LIB.virDomainMigrateStartPostCopy(rawDomain(s, uuid), 0) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return null;
        });
    }

    @Override
    public void startDirtyRateCalc(String uuid, int seconds) throws HypervisorException {
        String fn = "virDomainStartDirtyRateCalc";
        Objects.requireNonNull(uuid, "uuid");
        call(fn, uuid, s -> {
            if (VirNative.LIB.virDomainStartDirtyRateCalc(rawDomain(s, uuid), seconds, 0) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return null;
        });
    }

    @Override
    public DirtyRate dirtyRate(String uuid) throws HypervisorException {
        String fn = "virDomainListGetStats";
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> {
            PointerByReference ref = new PointerByReference();
            int n = VirNative.LIB.virDomainListGetStats(new Pointer[] {rawDomain(s, uuid), null},
                    VirNative.VIR_DOMAIN_STATS_DIRTYRATE, ref, 0);
            if (n < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            Pointer records = ref.getValue();
            if (records == null) {
                return DirtyRate.NONE;
            }
            try {
                Pointer first = n > 0 ? records.getPointer(0) : null; // NULL-terminated
                if (first == null) {
                    return DirtyRate.NONE;
                }
                VirDomainStatsRecord rec = new VirDomainStatsRecord(first);
                return StatsMapping.dirtyRate(TypedParams.read(rec.params, rec.nparams));
            } finally {
                VirNative.LIB.virDomainStatsRecordListFree(records);
            }
        });
    }

    @Override
    public void abortJob(String uuid) throws HypervisorException {
        String fn = "virDomainAbortJob";
        Objects.requireNonNull(uuid, "uuid");
        call(fn, uuid, s -> {
            try {
                javaDomain(s, uuid).abortJob();
            } catch (LibvirtException e) {
                throw LibvirtErrors.of(fn, e);
            }
            return null;
        });
    }

    @Override
    public long maxDowntimeMillis(String uuid) throws HypervisorException {
        String fn = "virDomainMigrateGetMaxDowntime";
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> {
            LongByReference ms = new LongByReference();
            if (VirNative.LIB.virDomainMigrateGetMaxDowntime(rawDomain(s, uuid), ms, 0) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return ms.getValue();
        });
    }

    @Override
    public void setMaxDowntimeMillis(String uuid, long downtimeMillis) throws HypervisorException {
        String fn = "virDomainMigrateSetMaxDowntime";
        Objects.requireNonNull(uuid, "uuid");
        call(fn, uuid, s -> {
            try {
                javaDomain(s, uuid).migrateSetMaxDowntime(downtimeMillis);
            } catch (LibvirtException e) {
                throw LibvirtErrors.of(fn, e);
            }
            return null;
        });
    }

    @Override
    public void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) throws HypervisorException {
        String fn = "virDomainMigrateSetMaxSpeed";
        Objects.requireNonNull(uuid, "uuid");
        call(fn, uuid, s -> {
            if (VirNative.LIB.virDomainMigrateSetMaxSpeed(rawDomain(s, uuid), new NativeLong(bandwidthMiBPerSecond),
                    0) < 0) {
                throw LibvirtErrors.lastError(fn);
            }
            return null;
        });
    }

    /**
     * The element as stored in the domain XML, {@code <migov:model xmlns:migov="…">…</migov:model>}
     * (libvirt returns it without the namespace; it is put back), or null when there is none.
     */
    @Override
    public String metadata(String uuid) throws HypervisorException {
        String fn = "virDomainGetMetadata";
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> {
            try {
                String bare = javaDomain(s, uuid).getMetadata(METADATA_ELEMENT, METADATA_NAMESPACE, AFFECT_LIVE);
                try {
                    return MetadataXml.fromGetMetadata(bare, METADATA_NAMESPACE, METADATA_KEY);
                } catch (IllegalArgumentException e) {
                    throw new HypervisorException(Kind.OTHER, fn, e.getMessage(), e);
                }
            } catch (LibvirtException e) {
                if (LibvirtErrors.code(e) == LibvirtErrors.VIR_ERR_NO_DOMAIN_METADATA) {
                    return null;
                }
                throw LibvirtErrors.of(fn, e);
            }
        });
    }

    /**
     * Writes the live and persistent definitions in one call; a transient domain (libvirt refuses
     * CONFIG) gets the live one only, remembered for the next writes on this connection. The
     * element may come with its namespace declared ({@code <migov:model xmlns:migov="…">}, as
     * {@link #metadata} returns it) or bare ({@code <model>}): libvirt puts it into
     * {@link #METADATA_NAMESPACE} with prefix {@link #METADATA_KEY} either way. Not well-formed XML,
     * or a root in another namespace, fails with {@link Kind#OTHER} without calling libvirt.
     */
    @Override
    public void setMetadata(String uuid, String elementXml) throws HypervisorException {
        String fn = "virDomainSetMetadata";
        Objects.requireNonNull(elementXml, "elementXml");
        Objects.requireNonNull(uuid, "uuid");
        String forLibvirt;
        try {
            forLibvirt = MetadataXml.forSetMetadata(elementXml, METADATA_NAMESPACE);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(Kind.OTHER, fn, e.getMessage(), e);
        }
        call(fn, uuid, s -> {
            DomainHandle h = s.handle(uuid);
            Domain d = javaDomain(s, uuid);
            try {
                if (!h.transientDomain) {
                    try {
                        d.setMetadata(METADATA_ELEMENT, forLibvirt, METADATA_KEY, METADATA_NAMESPACE,
                                AFFECT_LIVE | AFFECT_CONFIG);
                        return null;
                    } catch (LibvirtException e) {
                        if (!isTransientRefusal(e)) {
                            throw e;
                        }
                        h.transientDomain = true;
                    }
                }
                d.setMetadata(METADATA_ELEMENT, forLibvirt, METADATA_KEY, METADATA_NAMESPACE, AFFECT_LIVE);
                return null;
            } catch (LibvirtException e) {
                throw LibvirtErrors.of(fn, e);
            }
        });
    }

    @Override
    public void setListener(HypervisorListener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    @Override
    public void close() {
        Session s;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            session = null;
            if (reconnecting != null) {
                reconnecting.cancel(false);
            }
        }
        reconnector.shutdownNow();
        if (s != null) {
            closeSession(s);
        }
    }

    // ------------------------------------------------------------------ sessions

    /** One open connection with its event registrations and cached domain handles. */
    private static final class Session {
        final MigovConnect conn;
        final Pointer vcp;
        final List<Integer> callbackIds = new ArrayList<>();
        final ConcurrentHashMap<String, DomainHandle> domains = new ConcurrentHashMap<>();
        final Queue<DomainHandle> retired = new ConcurrentLinkedQueue<>();
        /** Calls hold the read lock; closing the connection and freeing handles take the write lock. */
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        volatile boolean closed;

        Session(MigovConnect conn) {
            this.conn = conn;
            this.vcp = conn.raw();
        }

        DomainHandle handle(String uuid) {
            return domains.computeIfAbsent(uuid, DomainHandle::new);
        }

        void retire(String uuid) {
            DomainHandle h = domains.remove(uuid);
            if (h != null) {
                retired.add(h);
            }
        }
    }

    /** A domain's libvirt-java object and raw pointer on one connection, each looked up on first use. */
    private static final class DomainHandle {
        final String uuid;
        volatile Domain java;
        volatile Pointer raw;
        volatile boolean transientDomain;

        DomainHandle(String uuid) {
            this.uuid = uuid;
        }

        void free() {
            Domain j = java;
            java = null;
            if (j != null) {
                try {
                    j.free();
                } catch (LibvirtException | RuntimeException e) {
                    LOG.debug("virDomainFree({}) failed: {}", uuid, e.toString());
                }
            }
            Pointer r = raw;
            raw = null;
            if (r != null) {
                VirNative.LIB.virDomainFree(r);
            }
        }
    }

    @FunctionalInterface
    private interface SessionCall<T> {
        T run(Session s) throws HypervisorException;
    }

    /** Runs {@code body} on the current session; {@code uuid} (null for connection-wide calls) is the domain addressed. */
    private <T> T call(String fn, String uuid, SessionCall<T> body) throws HypervisorException {
        Session s = session;
        if (s == null) {
            throw notConnected(fn);
        }
        s.lock.readLock().lock();
        try {
            if (s.closed) {
                throw notConnected(fn);
            }
            return body.run(s);
        } catch (HypervisorException e) {
            if (e.kind() == Kind.NO_DOMAIN && uuid != null) {
                s.retire(uuid);
            } else if (e.kind() == Kind.CONNECTION && !alive(s)) {
                connectionLost(s, e.getMessage());
            }
            throw e;
        } finally {
            s.lock.readLock().unlock();
            reapRetired(s);
        }
    }

    private HypervisorException notConnected(String fn) {
        return new HypervisorException(Kind.CONNECTION, fn, "not connected to " + options.uri());
    }

    /** Frees retired domain handles when no call is using the session (never waits). */
    private static void reapRetired(Session s) {
        if (s.retired.isEmpty() || !s.lock.writeLock().tryLock()) {
            return;
        }
        try {
            DomainHandle h;
            while ((h = s.retired.poll()) != null) {
                h.free();
            }
        } finally {
            s.lock.writeLock().unlock();
        }
    }

    private static Domain javaDomain(Session s, String uuid) throws HypervisorException {
        DomainHandle h = s.handle(uuid);
        Domain d = h.java;
        if (d != null) {
            return d;
        }
        try {
            d = s.conn.domainLookupByUUIDString(uuid);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of("virDomainLookupByUUIDString", e);
        }
        synchronized (h) {
            if (h.java == null) {
                h.java = d;
                return d;
            }
        }
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.debug("virDomainFree({}) failed: {}", uuid, e.toString());
        }
        return h.java;
    }

    private static Pointer rawDomain(Session s, String uuid) throws HypervisorException {
        DomainHandle h = s.handle(uuid);
        Pointer p = h.raw;
        if (p != null) {
            return p;
        }
        p = VirNative.LIB.virDomainLookupByUUIDString(s.vcp, uuid);
        if (p == null) {
            throw LibvirtErrors.lastError("virDomainLookupByUUIDString");
        }
        synchronized (h) {
            if (h.raw == null) {
                h.raw = p;
                return p;
            }
        }
        VirNative.LIB.virDomainFree(p);
        return h.raw;
    }

    private static boolean isTransientRefusal(LibvirtException e) {
        String m = e.getMessage();
        return LibvirtErrors.code(e) == LibvirtErrors.VIR_ERR_OPERATION_INVALID && m != null && m.contains("transient");
    }

    /** virConnectIsAlive (local, no RPC); false while the session is being closed. */
    private static boolean alive(Session s) {
        if (!s.lock.readLock().tryLock()) {
            return false; // closeSession holds the write lock
        }
        try {
            return !s.closed && s.conn.isAlive();
        } catch (LibvirtException | RuntimeException e) {
            return false;
        } finally {
            s.lock.readLock().unlock();
        }
    }

    static String uuidOf(Pointer dom) {
        byte[] buf = new byte[VirNative.UUID_STRING_BUFLEN];
        if (VirNative.LIB.virDomainGetUUIDString(dom, buf) < 0) {
            return "";
        }
        return Native.toString(buf);
    }

    /** Opens the connection, keepalive, close listener and the three event registrations. */
    private Session openSession() throws HypervisorException {
        MigovConnect conn;
        try {
            conn = new MigovConnect(options.uri());
        } catch (LibvirtException e) {
            throw LibvirtErrors.withKind(LibvirtErrors.of("virConnectOpen", e), Kind.CONNECTION);
        }
        Session s = new Session(conn);
        try {
            if (options.keepAliveIntervalS() > 0) {
                conn.setKeepAlive(options.keepAliveIntervalS(), options.keepAliveCount());
            }
            conn.registerCloseListener((c, reason) -> connectionLost(s, "libvirt closed the connection: " + reason));
            register(s, VirNative.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycleCallback);
            register(s, VirNative.VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION, iterationCallback);
            register(s, VirNative.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, jobCompletedCallback);
            return s;
        } catch (HypervisorException e) {
            closeSession(s);
            throw LibvirtErrors.withKind(e, Kind.CONNECTION);
        } catch (LibvirtException e) {
            closeSession(s);
            throw LibvirtErrors.withKind(LibvirtErrors.of("virConnectSetKeepAlive/RegisterCloseCallback", e),
                    Kind.CONNECTION);
        }
    }

    private static void register(Session s, int eventId, Callback cb) throws HypervisorException {
        int id = VirNative.LIB.virConnectDomainEventRegisterAny(s.vcp, null, eventId, cb, null, null);
        if (id < 0) {
            throw LibvirtErrors.lastError("virConnectDomainEventRegisterAny(" + eventId + ")");
        }
        s.callbackIds.add(id);
    }

    /** Deregisters events, frees domain handles and closes; waits for calls in flight on it. */
    private static void closeSession(Session s) {
        s.lock.writeLock().lock();
        try {
            if (s.closed) {
                return;
            }
            s.closed = true;
            if (s.vcp != null) {
                for (int id : s.callbackIds) {
                    if (VirNative.LIB.virConnectDomainEventDeregisterAny(s.vcp, id) < 0) {
                        LOG.debug("virConnectDomainEventDeregisterAny({}) failed: {}", id,
                                LibvirtErrors.lastError("virConnectDomainEventDeregisterAny").getMessage());
                    }
                }
            }
            s.callbackIds.clear();
            try {
                s.conn.unregisterCloseListener();
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("virConnectUnregisterCloseCallback failed: {}", e.toString());
            }
            for (DomainHandle h : s.domains.values()) {
                h.free();
            }
            s.domains.clear();
            DomainHandle h;
            while ((h = s.retired.poll()) != null) {
                h.free();
            }
            try {
                s.conn.close();
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("virConnectClose failed: {}", e.toString());
            }
        } finally {
            s.lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ reconnect

    /** Called from any thread (event loop, a failing call): reports the outage once, reconnects in the background. */
    private void connectionLost(Session s, String reason) {
        synchronized (stateLock) {
            if (closed || session != s) {
                return; // already handled (or an old session)
            }
            session = null;
            outageStartNanos = System.nanoTime();
        }
        LOG.warn("libvirt connection to {} lost ({}); reconnecting with backoff {} ms doubling to {} ms",
                options.uri(), reason, options.reconnectInitial().toMillis(), options.reconnectMax().toMillis());
        try {
            listener.onConnectionLost(reason);
        } catch (RuntimeException e) {
            LOG.warn("listener failed on connection lost", e);
        }
        try {
            reconnector.execute(() -> {
                closeSession(s);
                reconnect(new HypervisorException(Kind.CONNECTION, "virConnectIsAlive", reason), true);
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Re-opens the connection on the reconnector thread until it works or the adapter closes.
     * {@code failure} counts as the first failed attempt: the outage ({@code lost}), or the first
     * connect of {@link #open}.
     */
    private void reconnect(HypervisorException failure, boolean lost) {
        synchronized (stateLock) {
            if (closed || (reconnecting != null && !reconnecting.isDone())) {
                return;
            }
            reconnecting = Reconnecting.afterFailure(failure, reconnectPolicy, reconnector, ctx -> attempt(ctx, lost));
            reconnecting.whenComplete((restored, e) -> {
                if (e != null && !closed && !isCancellation(e)) {
                    LOG.error("reconnecting to {} stopped: {}", options.uri(), e.toString(), e);
                }
            });
        }
    }

    private static boolean isCancellation(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof CancellationException || t instanceof RejectedExecutionException;
    }

    /** One reconnect attempt: the new session, installed and announced; null when the adapter closed meanwhile. */
    private Session attempt(ExecutionContext<Session> ctx, boolean lost) throws HypervisorException {
        if (closed) {
            return null;
        }
        // the failure that started the chain is an attempt to Failsafe; an outage is not a connect attempt
        int attempt = ctx.getAttemptCount() + (lost ? 0 : 1);
        Session s;
        try {
            s = openSession();
        } catch (HypervisorException e) {
            LOG.debug("reconnect to {} failed (attempt {}): {}", options.uri(), attempt, e.getMessage());
            throw e;
        }
        long outageMs;
        synchronized (stateLock) {
            if (closed) {
                closeSession(s);
                return null;
            }
            session = s;
            outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStartNanos);
        }
        LOG.info("libvirt connection to {} restored after {} ms ({} attempt{}); events registered again",
                options.uri(), outageMs, attempt, attempt == 1 ? "" : "s");
        try {
            listener.onConnectionRestored();
        } catch (RuntimeException e) {
            LOG.warn("listener failed on connection restored", e);
        }
        return s;
    }

    // ------------------------------------------------------------------ for the other adapters of this connection

    /** One libvirt call on a domain's raw handle ({@code virDomainPtr}), made like this class's own. */
    @FunctionalInterface
    interface DomainCall<T> {
        T run(Pointer dom) throws HypervisorException;
    }

    /**
     * Runs {@code body} (one libvirt call) on the domain's handle within this connection's session
     * handling (not connected, domain gone, connection lost): for {@link LibvirtStorageCopy}.
     */
    <T> T onDomain(String fn, String uuid, DomainCall<T> body) throws HypervisorException {
        Objects.requireNonNull(uuid, "uuid");
        return call(fn, uuid, s -> body.run(rawDomain(s, uuid)));
    }

    // ------------------------------------------------------------------ events (libvirt's event-loop thread)

    private int onLifecycleEvent(Pointer conn, Pointer dom, int event, int detail, Pointer opaque) {
        try {
            listener.onLifecycle(uuidOf(dom), event, detail);
        } catch (Throwable t) {
            LOG.warn("lifecycle event listener failed", t);
        }
        return 0;
    }

    private void onIterationEvent(Pointer conn, Pointer dom, int iteration, Pointer opaque) {
        try {
            listener.onMigrationIteration(uuidOf(dom), iteration);
        } catch (Throwable t) {
            LOG.warn("migration-iteration event listener failed", t);
        }
    }

    private void onJobCompletedEvent(Pointer conn, Pointer dom, Pointer params, int nparams, Pointer opaque) {
        try {
            JobStats stats = StatsMapping.jobStats(JobStats.Type.COMPLETED, TypedParams.read(params, nparams));
            listener.onJobCompleted(uuidOf(dom), stats);
        } catch (Throwable t) {
            LOG.warn("job-completed event listener failed", t);
        }
    }
}
