// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's side of the libvirt hook ({@code hooks/migov}, installed as
 * {@code /etc/libvirt/hooks/qemu.d/migov}): reads and deletes what the hook leaves in the spool
 * directory — as soon as it appears (a {@link WatchService}) and at least once a second.
 *
 * Every file starts with the header line
 * {@code migov-hook 2 <epoch ms> <hex domain name> <operation> <sub-operation>} (the hook's arguments),
 * logged at debug and counted as an event:
 * <ul>
 *   <li>{@code <ms>-<pid>.ev}: the header line alone, for every libvirt operation but one:</li>
 *   <li>{@code <ms>-<pid>.domain}: at {@code migrate begin} on this (destination) host, the header
 *       line and then the incoming domain XML as libvirt gave it to the hook (at most
 *       {@link #MAX_XML_BYTES}; the hook copies one byte more, so a longer XML arrives cut and is
 *       refused). The XML is parsed here ({@link DomainXml}: no DTDs, no entities) and the VM's
 *       model, if it carries one, is handed to the governor ({@code Governor.offerModel}) before the
 *       VM appears.</li>
 * </ul>
 *
 * Everything is validated (names, sizes, fields, the XML, the element's namespace and version, the
 * model itself in the governor); anything invalid is logged with the file's name, counted and
 * deleted. Files of the previous hook (format 1: {@code .ev} files with a {@code migov-hook 1}
 * line, {@code <uuid>.model} files), which an upgrade can leave behind, are skipped the same way
 * with a line saying so: by the time the new daemon runs, the VMs they announced have arrived.
 * Only regular files are read, never through a symbolic link. Temp files of the hook
 * ({@code .*.tmp}) are left alone until they are a minute old (a hook killed mid-write), then
 * deleted. Other files are ignored.
 */
public final class HookSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HookSpool.class);

    /** The hook writes at most ~2.1 KiB per header line. */
    static final int MAX_EVENT_BYTES = 4096;
    /** The longest domain XML read (the hook's max_xml_bytes; HookScriptTest holds the two equal): a 2 MiB model and the rest. */
    public static final int MAX_XML_BYTES = 2 * 1024 * 1024 + 256 * 1024;
    /** A header line, then one byte more than {@link #MAX_XML_BYTES}: how the hook marks a cut XML. */
    static final int MAX_DOMAIN_FILE_BYTES = MAX_EVENT_BYTES + MAX_XML_BYTES + 1;
    static final long STALE_TEMP_MILLIS = 60_000;
    private static final long POLL_MILLIS = 1000;

    private static final Pattern EVENT_FILE = Pattern.compile("\\d{1,19}-\\d{1,10}\\.ev");
    private static final Pattern DOMAIN_FILE = Pattern.compile("\\d{1,19}-\\d{1,10}\\.domain");
    /** Written by the previous hook (format 1) only. */
    private static final Pattern OLD_MODEL_FILE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.model");
    private static final Pattern TEMP_FILE = Pattern.compile("\\..*\\.tmp");
    private static final Pattern HEADER =
            Pattern.compile("migov-hook 2 (\\d{1,19}) (-|(?:[0-9a-f]{2}){1,1024}) ([a-z-]{1,32}) ([a-z-]{1,32})");
    private static final String OLD_HEADER = "migov-hook 1 ";

    /**
     * Counters since start: header lines read ({@code events}), models found in a domain XML
     * ({@code models}) and taken by the governor ({@code modelsAccepted}), files or domain XMLs
     * refused or skipped ({@code rejected}; a {@code .domain} file whose header is read but whose
     * XML is refused counts as an event and as rejected).
     */
    public record Stats(long events, long models, long modelsAccepted, long rejected) {
    }

    private final Path dir;
    private final BiPredicate<String, String> offer;
    private final LongSupplier wallMillis;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong models = new AtomicLong();
    private final AtomicLong modelsAccepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Files that could not be deleted: reported once, then skipped. */
    private final Set<String> stuck = Collections.synchronizedSet(new HashSet<>());
    private volatile boolean closed;
    private volatile Thread thread;
    private boolean listFailureReported;

    /**
     * @param dir        the spool directory (see {@link #prepare(Path)})
     * @param offer      receives (uuid, model JSON) of an incoming VM; true if the model was taken
     * @param wallMillis the clock, for the age of temp files
     */
    public HookSpool(Path dir, BiPredicate<String, String> offer, LongSupplier wallMillis) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.offer = Objects.requireNonNull(offer, "offer");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    /** Creates the spool directory (0750) if missing and proves it writable. */
    public static void prepare(Path dir) throws ConfigException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw ConfigException.of("spoolDir", "not a directory", dir.toString());
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FileModelStore.DIR_PERMISSIONS));
                Files.setPosixFilePermissions(dir, FileModelStore.DIR_PERMISSIONS);
            }
            Path probe = Files.createTempFile(dir, ".migov-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            String why = e instanceof IOException io ? DaemonConfig.reason(io) : e.toString();
            throw ConfigException.of("spoolDir", "cannot create or write the directory (" + why + ")", dir.toString());
        }
    }

    /** Starts the reader thread: drains the spool on every change and at least once a second. */
    public HookSpool start() {
        Thread t = new Thread(this::run, "migov-hook-spool");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    public Path directory() {
        return dir;
    }

    public Stats stats() {
        return new Stats(events.get(), models.get(), modelsAccepted.get(), rejected.get());
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        WatchService watch = null;
        try {
            watch = dir.getFileSystem().newWatchService();
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("hook spool {}: no change notifications ({}); reading it once a second", dir, e.toString());
            closeQuietly(watch);
            watch = null;
        }
        LOG.info("hook spool: {}", dir);
        try {
            while (!closed) {
                drain();
                if (watch != null) {
                    WatchKey key = watch.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        if (!key.reset()) {
                            LOG.warn("hook spool {}: the directory went away; reading it once a second", dir);
                            closeQuietly(watch);
                            watch = null;
                        }
                    }
                } else {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("hook spool reader failed; the hook's events and models are no longer read", e);
        } finally {
            closeQuietly(watch);
        }
    }

    private static void closeQuietly(WatchService w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Reads, handles and deletes every spool file present now, oldest name first. */
    public synchronized void drain() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                files.add(p);
            }
            listFailureReported = false;
        } catch (IOException e) {
            if (!listFailureReported) {
                LOG.warn("hook spool {}: cannot list ({})", dir, DaemonConfig.reason(e));
                listFailureReported = true;
            }
            return;
        }
        files.sort(null);
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (stuck.contains(name)) {
                continue;
            }
            try {
                if (EVENT_FILE.matcher(name).matches()) {
                    byte[] data = take(p, MAX_EVENT_BYTES);
                    if (data != null) {
                        event(name, data);
                    }
                } else if (DOMAIN_FILE.matcher(name).matches()) {
                    byte[] data = take(p, MAX_DOMAIN_FILE_BYTES);
                    if (data != null) {
                        domain(name, data);
                    }
                } else if (OLD_MODEL_FILE.matcher(name).matches()) {
                    if (delete(p)) {
                        skipOldFormat(name);
                    }
                } else if (TEMP_FILE.matcher(name).matches()) {
                    removeIfStale(p);
                }
            } catch (NoSuchFileException e) {
                // gone meanwhile
            } catch (IOException e) {
                reject(name, "cannot read (" + DaemonConfig.reason(e) + ")");
                delete(p);
            }
        }
    }

    /** The file's bytes, deleted; null (deleted, counted) when it is not a small regular file. */
    private byte[] take(Path p, int maxBytes) throws IOException {
        String name = p.getFileName().toString();
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            reject(name, "not a regular file");
            delete(p);
            return null;
        }
        if (a.size() > maxBytes) {
            reject(name, a.size() + " bytes, more than " + maxBytes);
            delete(p);
            return null;
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            data = in.readNBytes(maxBytes + 1);
        }
        if (!delete(p)) {
            return null;
        }
        if (data.length > maxBytes) {
            reject(name, "more than " + maxBytes + " bytes");
            return null;
        }
        return data;
    }

    private void event(String file, byte[] data) {
        String text = new String(data, StandardCharsets.US_ASCII);
        if (text.startsWith(OLD_HEADER)) {
            skipOldFormat(file);
            return;
        }
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (header(file, line) == null) {
            reject(file, "not a header line: " + printable(text, 120));
        }
    }

    /** A header line, then the domain XML from migrate begin: the model, if any, goes to the governor. */
    private void domain(String file, byte[] data) {
        int nl = 0;
        while (nl < data.length && nl <= MAX_EVENT_BYTES && data[nl] != '\n') {
            nl++;
        }
        String line = new String(data, 0, Math.min(nl, data.length), StandardCharsets.US_ASCII);
        Matcher header = nl < data.length && data[nl] == '\n' ? header(file, line) : null;
        if (header == null) {
            reject(file, "no header line: " + printable(line, 120));
            return;
        }
        if (!header.group(3).equals("migrate") || !header.group(4).equals("begin")) {
            reject(file, "a domain XML with '" + header.group(3) + " " + header.group(4)
                    + "'; the hook hands one over only at 'migrate begin'");
            return;
        }
        int xmlBytes = data.length - nl - 1;
        if (xmlBytes == 0) {
            reject(file, "no domain XML after the header line (libvirt gave the hook none?)");
            return;
        }
        if (xmlBytes > MAX_XML_BYTES) {
            reject(file, "domain XML cut by the hook: longer than " + MAX_XML_BYTES + " bytes; its model is not handed over");
            return;
        }
        DomainXml xml;
        try {
            xml = DomainXml.parse(data, nl + 1, xmlBytes);
        } catch (IllegalArgumentException e) {
            reject(file, e.getMessage());
            return;
        }
        String uuid = xml.uuid();
        if (xml.modelJson().isEmpty()) {
            LOG.debug("hook: {} migrates in without a migov model", uuid);
            return;
        }
        String json = xml.modelJson().get();
        models.incrementAndGet();
        boolean taken;
        try {
            taken = offer.test(uuid, json);
        } catch (RuntimeException e) {
            LOG.warn("hook: model for {}: handing it over failed ({})", uuid, e.toString());
            return;
        }
        if (taken) {
            modelsAccepted.incrementAndGet();
            LOG.info("hook: model for {} handed over before the VM arrives ({} bytes)", uuid, json.length());
        } else {
            LOG.info("hook: model for {} not used (the VM is already here, or the model does not decode)", uuid);
        }
    }

    /** The header line's fields, the event counted and logged at debug; null if it is not one. */
    private Matcher header(String file, String line) {
        Matcher m = HEADER.matcher(line);
        if (!m.matches()) {
            return null;
        }
        events.incrementAndGet();
        if (LOG.isDebugEnabled()) {
            String hex = m.group(2);
            String domain = hex.equals("-") ? "" : printable(new String(unhex(hex), StandardCharsets.UTF_8), 1024);
            LOG.debug("hook: {} {} {} (at {}, {})", domain, m.group(3), m.group(4), m.group(1), file);
        }
        return m;
    }

    private void skipOldFormat(String file) {
        rejected.incrementAndGet();
        LOG.warn("hook spool: skipping {}: written by the hook of an earlier migov (spool format 1, left over from an upgrade); "
                + "deleted unread", file);
    }

    private void removeIfStale(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (wallMillis.getAsLong() - a.lastModifiedTime().toMillis() > STALE_TEMP_MILLIS) {
            LOG.info("hook spool: removing {}, a temp file left by an interrupted hook", p.getFileName());
            delete(p);
        }
    }

    private void reject(String file, String why) {
        rejected.incrementAndGet();
        LOG.warn("hook spool: ignoring {}: {}", file, why);
    }

    private boolean delete(Path p) {
        try {
            Files.deleteIfExists(p);
            return true;
        } catch (IOException e) {
            String name = p.getFileName().toString();
            if (stuck.add(name)) {
                LOG.warn("hook spool: cannot delete {} ({}); skipping it from now on", name, DaemonConfig.reason(e));
            }
            return false;
        }
    }

    private static byte[] unhex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    /** For logs: control characters and non-ASCII as \\xNN / \\uNNNN, at most {@code max} chars. */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append(c);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c < 0x100) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
