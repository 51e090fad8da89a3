// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;
import io.migov.core.guard.GuardSettings;
import io.migov.core.Discretiser;
import io.migov.core.StateSpace;
import io.migov.governor.WriteSampling;
import io.migov.core.PriorMatrix;
import io.migov.core.Resource;
import io.migov.governor.GovernorSettings;
import io.migov.governor.Mode;
import io.migov.daemon.management.PrometheusEndpoint;
import io.migov.governor.StorageSettings;
import io.migov.core.storage.HysteresisSettings;
import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.PidSettings;
import io.migov.core.storage.PrefetchSettings;
import io.migov.storage.InterferenceModelFile;
import io.migov.jmx.RemoteJmxSettings;

import static io.migov.daemon.Settings.*;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The daemon's configuration, validated whole: a JSON file (every key optional, unknown keys
 * rejected) with command-line overrides on top. Every key is declared once in {@link Settings}
 * (its JSON type, whether it may be null; the table of {@code docs/configuration.md} is rendered
 * from it). {@link #settings()} is the runtime-mutable part the governor reads
 * on every tick; the other components are read once at startup.
 *
 * <p>Every failure is one {@link ConfigException} {@code config: <key>: <problem>, got <value>};
 * bounds are checked by the core's own records ({@link GovernorSettings}, {@link ControllerSettings},
 * {@link ConvergenceSettings}, {@link Discretiser}), whose field names are the config keys.
 *
 * @param connect     libvirt connection URI
 * @param stateDir    absolute state directory (checkpoints, migrations.jsonl)
 * @param spoolDir    absolute directory the libvirt hook writes to ({@link HookSpool})
 * @param settings    the runtime-mutable tunables
 * @param stateSpace  which resources make up a VM's state
 * @param discretiser the state scheme: the state space's resources with their {@code thresholds}
 * @param dwellAware  whether look-ahead follows how long the current state has lasted
 * @param priorFile   the prior matrix file, null for the uniform prior
 * @param prior       the prior matrix (uniform when {@code priorFile} is null)
 * @param priorWeight pseudo-counts given to the prior once a row has observations
 * @param records     rotation of migrations.jsonl
 * @param jmx         remote JMX (the {@code jmx*} keys; off by default)
 * @param prometheusAddress where the Prometheus endpoint listens; null (the default) when it is off
 * @param storageDevice the block device whose /proc/diskstats counters feed storage steering; null = off
 * @param peers         libvirt URIs of the other hosts, asked where a VM went when it left with no trace here
 */
public record DaemonConfig(String connect, Path stateDir, Path spoolDir, GovernorSettings settings, StateSpace stateSpace,
                           Discretiser discretiser, boolean dwellAware,
                           Path priorFile, PriorMatrix prior, double priorWeight, RecordRotation records,
                           RemoteJmxSettings jmx, PrometheusEndpoint.Address prometheusAddress, String storageDevice,
                           List<String> peers) {

    public static final String DEFAULT_CONNECT = "qemu:///system";
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/migov");
    public static final List<Double> DEFAULT_THRESHOLDS = List.of(25.0, 50.0);
    /** Chosen on the lab bench (docs/evaluation/signal.md): write intensity decides, memory use does not. */
    public static final StateSpace DEFAULT_STATE_SPACE = StateSpace.WRITE;

    public DaemonConfig {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(stateSpace, "stateSpace");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(discretiser, "discretiser");
        Objects.requireNonNull(prior, "prior");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(jmx, "jmx");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        if (storageDevice != null && !STORAGE_DEVICE_NAME.matcher(storageDevice).matches()) {
            throw new IllegalArgumentException("storageDevice: expected a device name as in /proc/diskstats (letters, digits, "
                    + "'.', '_', '-'), got '" + storageDevice + "'");
        }
    }

    private static final java.util.regex.Pattern STORAGE_DEVICE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Command-line values that win over the file; null where not given. */
    public record Overrides(String connect, String stateDir, String mode) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    /** The file's values as given, by key (JSON types per {@link Setting#type()}); a key not given is absent. */
    private static final class Raw {
        private final Map<String, Object> values = new HashMap<>();

        <T> T get(Setting<T> setting) {
            return setting.type().cast(values.get(setting.key()));
        }
    }

    /** Thresholds per resource, ascending percentages; an empty list leaves the resource out of the scheme. */
    record Thresholds(List<Double> cpu, List<Double> mem, List<Double> write, @JsonProperty("net_in") List<Double> netIn,
                      @JsonProperty("net_out") List<Double> netOut) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Defaults plus overrides: no file. */
    public static DaemonConfig defaults(Overrides overrides) throws ConfigException {
        return fromTree(JSON.createObjectNode(), null, overrides);
    }

    /** Reads {@code file} (null: no file, defaults only) and applies the overrides. */
    public static DaemonConfig load(Path file, Overrides overrides) throws ConfigException {
        if (file == null) {
            return defaults(overrides);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.of("--config", "no such file", file.toString());
        } catch (MalformedInputException e) {
            throw ConfigException.of("--config", "not a UTF-8 text file", file.toString());
        } catch (IOException e) {
            throw ConfigException.of("--config", "cannot read the file (" + reason(e) + ")", file.toString());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base, overrides);
    }

    /**
     * Parses a config document. {@code source} names it in messages; a relative {@code priorFile} is
     * resolved against {@code baseDir} (the config file's directory).
     */
    public static DaemonConfig parse(String json, String source, Path baseDir, Overrides overrides) throws ConfigException {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("config: " + source + ": not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw ConfigException.of(source, "expected a JSON object", "an empty file");
        }
        if (!tree.isObject()) {
            throw ConfigException.of(source, "expected a JSON object", tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return fromTree(tree, baseDir, overrides);
    }

    private static DaemonConfig fromTree(JsonNode tree, Path baseDir, Overrides overrides) throws ConfigException {
        Objects.requireNonNull(overrides, "overrides");
        Raw raw = bind(tree);
        rejectNulls(tree);

        String connect = overrides.connect() != null ? checkConnect("--connect", overrides.connect())
                : raw.get(CONNECT) != null ? checkConnect(CONNECT.key(), raw.get(CONNECT)) : DEFAULT_CONNECT;
        Path stateDir = overrides.stateDir() != null ? checkPath("--state-dir", overrides.stateDir(), null)
                : raw.get(STATE_DIR) != null ? checkPath(STATE_DIR.key(), raw.get(STATE_DIR), null) : DEFAULT_STATE_DIR;
        // the libvirt hook's spool (issue 6): default <stateDir>/spool, after --state-dir
        Path spoolDir = raw.get(SPOOL_DIR) != null ? checkPath(SPOOL_DIR.key(), raw.get(SPOOL_DIR), null) : stateDir.resolve("spool");
        Mode mode = overrides.mode() != null ? validated(() -> Mode.parse("--mode", overrides.mode()), quote(overrides.mode()))
                : raw.get(MODE) != null ? validated(() -> Mode.parse(MODE.key(), raw.get(MODE)), quote(raw.get(MODE))) : Mode.ENFORCE;

        ControllerSettings d = ControllerSettings.DEFAULTS;
        ControllerSettings controller = validated(() -> new ControllerSettings(
                or(raw.get(MAX_ITERATIONS), d.maxIterations()),
                or(raw.get(MEMORY_INTENSIVE_SHARE), d.memoryIntensiveShare()),
                or(raw.get(FALLBACK_MAX_DOWNTIME_MILLIS), d.fallbackMaxDowntimeMillis())), "?");
        ConvergenceSettings c = ConvergenceSettings.DEFAULTS;
        ConvergenceSettings convergence = validated(() -> new ConvergenceSettings(
                or(raw.get(NOISE_MARGIN_PERCENT), c.noiseMarginPercent()),
                or(raw.get(STALL_WINDOW_ITERATIONS), c.stallWindowIterations()),
                or(raw.get(PATIENCE_ITERATIONS), c.patienceIterations()),
                or(raw.get(COMPLETION_PASSES), c.completionPasses()),
                or(raw.get(PAGE_SIZE_BYTES), c.pageSizeBytes())), "?");
        StorageSettings storage = storageSettings(raw);
        GuardSettings gd = GuardSettings.DEFAULTS;
        GuardSettings guard = validated(() -> new GuardSettings(raw.get(POSTCOPY_GUARD) == null || raw.get(POSTCOPY_GUARD),
                or(raw.get(POSTCOPY_GUARD_SECONDS_PER_GIB), gd.secondsPerGiB()),
                or(raw.get(POSTCOPY_GUARD_BUDGET_FACTOR), gd.budgetFactor()),
                or(raw.get(POSTCOPY_GUARD_STALL_MILLIS), gd.stallMillis()),
                or(raw.get(POSTCOPY_GUARD_COLLAPSE_SHARE), gd.collapseShare())), "?");
        GovernorSettings g = GovernorSettings.DEFAULTS;
        GovernorSettings settings = validated(() -> new GovernorSettings(mode,
                or(raw.get(LOOK_AHEAD), g.lookAhead()), controller, convergence,
                or(raw.get(LINK_CAPACITY_BITS_PER_SECOND), g.linkCapacityBitsPerSecond()),
                or(raw.get(MODEL_SYNC_INTERVAL_SECONDS), g.modelSyncIntervalSeconds()),
                or(raw.get(CHECKPOINT_INTERVAL_SECONDS), g.checkpointIntervalSeconds()),
                raw.get(POLICY) != null ? raw.get(POLICY) : g.policy(),
                or(raw.get(KUBEVIRT_STALL_WINDOW_SECONDS), g.kubevirtStallWindowSeconds()),
                new WriteSampling(or(raw.get(DIRTY_RATE_INTERVAL_SECONDS), g.writeSampling().dirtyRateIntervalSeconds()),
                        or(raw.get(DIRTY_RATE_CALC_SECONDS), g.writeSampling().dirtyRateCalcSeconds()),
                        or(raw.get(MIGRATION_BANDWIDTH_BYTES_PER_SECOND), g.writeSampling().migrationBandwidthBytesPerSecond()),
                        or(raw.get(DIRTY_RATE_MAX_CALCS_PER_SECOND), g.writeSampling().dirtyRateMaxCalcsPerSecond())),
                storage, guard, or(raw.get(KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB), g.kubevirtCompletionTimeoutPerGiB())),
                raw.get(POLICY) != null ? quote(raw.get(POLICY)) : "?");

        StateSpace stateSpace = raw.get(STATE_SPACE) == null ? DEFAULT_STATE_SPACE
                : validated(() -> StateSpace.fromConfigName(raw.get(STATE_SPACE)), quote(raw.get(STATE_SPACE)));
        Discretiser discretiser = discretiser(stateSpace, raw.get(THRESHOLDS), tree.get(THRESHOLDS.key()));

        double priorWeight = or(raw.get(PRIOR_WEIGHT), 0.0);
        if (!Double.isFinite(priorWeight) || priorWeight < 0) {
            throw ConfigException.of(PRIOR_WEIGHT.key(), "expected a finite value ≥ 0", Double.toString(priorWeight));
        }
        Path priorFile = optionalPath(raw, PRIOR_FILE, baseDir);
        PriorMatrix prior = priorFile == null ? PriorMatrix.uniform(discretiser.stateCount())
                : loadPrior(priorFile, discretiser);

        RecordRotation r = RecordRotation.DEFAULTS;
        RecordRotation records = validated(() -> new RecordRotation(
                or(raw.get(RECORD_MAX_BYTES), r.maxBytes()), or(raw.get(RECORD_KEEP_FILES), r.keepFiles())), "?");

        RemoteJmxSettings jmx = remoteJmx(raw, baseDir);

        boolean dwellAware = raw.get(DWELL_AWARE) == null || raw.get(DWELL_AWARE);
        PrometheusEndpoint.Address prometheusAddress = prometheusAddress(raw.get(PROMETHEUS_ADDRESS));
        String storageDevice = raw.get(STORAGE_DEVICE);
        List<String> peers = peers(raw.get(PEERS));
        return validated(() -> new DaemonConfig(connect, stateDir, spoolDir, settings, stateSpace, discretiser, dwellAware, priorFile,
                prior, priorWeight, records, jmx, prometheusAddress, storageDevice, peers), storageDevice == null ? "null" : quote(storageDevice));
    }

    /** The storage-steering keys (issue 11): the model file and the core records, messages naming the keys. */
    private static StorageSettings storageSettings(Raw raw) throws ConfigException {
        StorageSettings d = StorageSettings.DEFAULTS;
        String given = raw.get(INTERFERENCE_MODEL);
        String modelPath = given == null ? "" : given; // as over JMX: relative to the working directory
        InterferenceModel model = validated(() -> InterferenceModelFile.load(modelPath), quote(modelPath));
        HysteresisSettings h = d.hysteresis();
        HysteresisSettings hysteresis = validated(() -> StorageSettings.hysteresis(
                or(raw.get(INTERFERENCE_ON_PROBABILITY), h.onProbability()), or(raw.get(INTERFERENCE_ON_SECONDS), h.onSeconds()),
                or(raw.get(INTERFERENCE_OFF_PROBABILITY), h.offProbability()), or(raw.get(INTERFERENCE_OFF_SECONDS), h.offSeconds()),
                raw.get(INTERFERENCE_ON_PROBABILITY) != null && raw.get(INTERFERENCE_OFF_PROBABILITY) == null), "?");
        PidSettings p = d.pid();
        PidSettings gains = validated(() -> StorageSettings.keyed(() -> new PidSettings(
                or(raw.get(STORAGE_KP_BYTES_PER_SECOND), p.kpBytesPerSecond()),
                or(raw.get(STORAGE_KI_BYTES_PER_SECOND_SQUARED), p.kiBytesPerSecondSquared()),
                or(raw.get(STORAGE_KD_BYTES), p.kdBytes()),
                or(raw.get(INTERFERENCE_THRESHOLD_PROBABILITY), p.thresholdProbability()),
                p.minBytesPerSecond(), p.maxBytesPerSecond())), "?");
        PidSettings pid = validated(() -> StorageSettings.withSpeeds(gains,
                or(raw.get(STORAGE_MIN_BYTES_PER_SECOND), (long) p.minBytesPerSecond()),
                or(raw.get(STORAGE_MAX_BYTES_PER_SECOND), (long) p.maxBytesPerSecond()),
                raw.get(STORAGE_MIN_BYTES_PER_SECOND) != null), "?");
        PrefetchSettings f = d.prefetch();
        PrefetchSettings prefetch = validated(() -> StorageSettings.keyed(() -> new PrefetchSettings(
                or(raw.get(PREFETCH_FACTOR), f.prefetchFactor()), or(raw.get(PREFETCH_MEMORY_CAP_BYTES), f.memoryCapBytes()))), "?");
        return new StorageSettings(modelPath, model, hysteresis, pid, prefetch);
    }

    /** The {@code jmx*} keys: bounds checked by {@link RemoteJmxSettings}, files (when remote JMX is on) by its checkFiles. */
    private static RemoteJmxSettings remoteJmx(Raw raw, Path baseDir) throws ConfigException {
        RemoteJmxSettings d = RemoteJmxSettings.DISABLED;
        Path passwordFile = optionalPath(raw, JMX_PASSWORD_FILE, baseDir);
        Path accessFile = optionalPath(raw, JMX_ACCESS_FILE, baseDir);
        Path keyStore = optionalPath(raw, JMX_KEY_STORE, baseDir);
        Path keyStorePassword = optionalPath(raw, JMX_KEY_STORE_PASSWORD_FILE, baseDir);
        Path trustStore = optionalPath(raw, JMX_TRUST_STORE, baseDir);
        Path trustStorePassword = optionalPath(raw, JMX_TRUST_STORE_PASSWORD_FILE, baseDir);
        String bind = raw.get(JMX_BIND_ADDRESS) == null ? d.bindAddress() : raw.get(JMX_BIND_ADDRESS);
        RemoteJmxSettings jmx = validated(() -> new RemoteJmxSettings(
                raw.get(JMX_REMOTE) == null ? d.remote() : raw.get(JMX_REMOTE), bind,
                or(raw.get(JMX_REGISTRY_PORT), d.registryPort()), or(raw.get(JMX_SERVER_PORT), d.serverPort()), passwordFile, accessFile,
                raw.get(JMX_AUTHENTICATE) == null ? d.authenticate() : raw.get(JMX_AUTHENTICATE),
                raw.get(JMX_TLS) == null ? d.tls() : raw.get(JMX_TLS), keyStore, keyStorePassword,
                raw.get(JMX_TLS_CLIENT_AUTH) == null ? d.tlsClientAuth() : raw.get(JMX_TLS_CLIENT_AUTH), trustStore, trustStorePassword), quote(bind));
        validated(() -> {
            jmx.checkFiles();
            return jmx;
        }, "?");
        return jmx;
    }

    /** {@code host:port}, or null (off) for null or an empty string; resolved only when the endpoint starts. */
    private static PrometheusEndpoint.Address prometheusAddress(String value) throws ConfigException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return PrometheusEndpoint.Address.parse(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(PROMETHEUS_ADDRESS.key(), e.getMessage(), quote(value));
        }
    }

    /** The config keys, in the order of the documentation ({@link Settings}). */
    public static List<String> keys() {
        return Settings.ALL.stream().map(Setting::key).toList();
    }

    // ------------------------------------------------------------------------------- binding

    /**
     * Binds each key of the document, in the document's order, to its setting's type: the first
     * unknown key or value of the wrong type fails.
     */
    private static Raw bind(JsonNode tree) throws ConfigException {
        Raw raw = new Raw();
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) tree::fields) {
            String key = field.getKey();
            JsonNode node = field.getValue();
            Setting<?> setting = Settings.byKey(key).orElseThrow(
                    () -> ConfigException.of(key, "unknown key" + suggestion(key, false), render(node)));
            try {
                raw.values.put(key, JSON.treeToValue(node, setting.type()));
            } catch (UnrecognizedPropertyException e) { // inside thresholds
                String at = path(key, e.getPath());
                String hint = suggestion(e.getPropertyName(), true);
                throw ConfigException.of(at, "unknown key" + hint, render(nodeAt(node, e.getPath())));
            } catch (JsonMappingException e) {
                throw typeError(path(key, e.getPath()), nodeAt(node, e.getPath()));
            } catch (JsonProcessingException e) { // a number out of the type's range, not wrapped at the top level
                throw typeError(key, node);
            }
        }
        return raw;
    }

    private static ConfigException typeError(String key, JsonNode node) {
        String expected = expectation(key);
        String problem = node != null && node.isIntegralNumber() && expected.startsWith("an integer")
                ? "out of range" : "expected " + expected;
        return ConfigException.of(key, problem, render(node));
    }

    private static void rejectNulls(JsonNode tree) throws ConfigException {
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) tree::fields) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull() && !Settings.byKey(key).map(Setting::nullable).orElse(false)) {
                throw ConfigException.of(key, "expected " + expectation(key), "null");
            }
        }
        JsonNode thresholds = tree.get(THRESHOLDS.key());
        if (thresholds != null && thresholds.isObject()) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) thresholds::fields) {
                String key = "thresholds." + field.getKey();
                if (field.getValue().isNull()) {
                    throw ConfigException.of(key, "expected " + expectation(key), "null");
                }
                for (int i = 0; i < field.getValue().size(); i++) {
                    if (field.getValue().get(i).isNull()) {
                        throw ConfigException.of(key + "[" + i + "]", "expected a number", "null");
                    }
                }
            }
        }
    }

    /** What a key's value must look like, for type errors. */
    private static String expectation(String key) {
        if (key.startsWith(PEERS.key() + "[")) {
            return "a libvirt URI such as qemu+tcp://host/system";
        }
        if (key.startsWith("thresholds.")) {
            return key.endsWith("]") ? "a number" : "a list of ascending percentages";
        }
        Setting<?> setting = Settings.byKey(key).orElse(null);
        if (setting != null) {
            Class<?> type = setting.type();
            if (type == String.class) {
                return "a string";
            }
            if (type == Integer.class) {
                return "an integer (32-bit)";
            }
            if (type == Long.class) {
                return "an integer (64-bit)";
            }
            if (type == Double.class) {
                return "a number";
            }
            if (type == Boolean.class) {
                return "true or false";
            }
            if (type == String[].class) {
                return "a list of strings";
            }
            return "an object with cpu, mem, write, net_in, net_out";
        }
        return "a JSON object";
    }

    /** " (did you mean lookAhead?)" when the unknown key is a known one spelt differently. */
    private static String suggestion(String unknown, boolean nested) {
        if (unknown == null) {
            return "";
        }
        List<String> known = nested ? List.of("cpu", "mem", "write", "net_in", "net_out") : keys();
        String u = unknown.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        for (String k : known) {
            if (k.replace("_", "").toLowerCase(Locale.ROOT).equals(u)) {
                return " (did you mean " + k + "?)";
            }
        }
        return nested ? " (expected one of cpu, mem, write, net_in, net_out)" : "";
    }

    /** {@code key} followed by the path inside its value, e.g. {@code thresholds.cpu[1]}. */
    private static String path(String key, List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder(key);
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode nodeAt(JsonNode tree, List<JsonMappingException.Reference> refs) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : refs) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node;
    }

    private static String render(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        return node.isTextual() ? quote(node.asText()) : node.toString();
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    // ------------------------------------------------------------------------------- values

    private static <T> T validated(Supplier<T> build, String value) throws ConfigException {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw ConfigException.fromValidation(e, value);
        }
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static long or(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    /** At most this many peers: each is asked in turn, on the VM's lane, when a VM left with no trace. */
    static final int MAX_PEERS = 64;

    private static List<String> peers(String[] given) throws ConfigException {
        if (given == null) {
            return List.of();
        }
        if (given.length > MAX_PEERS) {
            throw ConfigException.of(PEERS.key(), "at most " + MAX_PEERS + " URIs", given.length + " URIs");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            String key = PEERS.key() + "[" + i + "]";
            if (given[i] == null) {
                throw ConfigException.of(key, "expected a libvirt URI such as qemu+tcp://host/system", "null");
            }
            String uri = checkConnect(key, given[i]);
            if (out.contains(uri)) {
                throw ConfigException.of(key, "listed twice", quote(uri));
            }
            out.add(uri);
        }
        return out;
    }

    private static String checkConnect(String key, String uri) throws ConfigException {
        String problem = "expected a libvirt URI such as qemu:///system or qemu+tcp://host/system";
        if (uri.isBlank() || uri.chars().anyMatch(Character::isWhitespace)) {
            throw ConfigException.of(key, problem, quote(uri));
        }
        try {
            if (new URI(uri).getScheme() == null) {
                throw ConfigException.of(key, problem, quote(uri));
            }
        } catch (URISyntaxException e) {
            throw ConfigException.of(key, problem, quote(uri));
        }
        return uri;
    }

    /** A path key's value resolved against {@code baseDir}; null when not given (or given as null). */
    private static Path optionalPath(Raw raw, Setting<String> setting, Path baseDir) throws ConfigException {
        String value = raw.get(setting);
        return value == null ? null : checkPath(setting.key(), value, baseDir);
    }

    private static Path checkPath(String key, String value, Path baseDir) throws ConfigException {
        if (value.isBlank()) {
            throw ConfigException.of(key, "expected a path", quote(value));
        }
        try {
            Path p = Path.of(value);
            if (!p.isAbsolute() && baseDir != null) {
                p = baseDir.resolve(p);
            }
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigException.of(key, "not a valid path (" + e.getReason() + ")", quote(value));
        }
    }

    private static Discretiser discretiser(StateSpace space, Thresholds t, JsonNode node) throws ConfigException {
        Map<Resource, List<Double>> given = new LinkedHashMap<>();
        given.put(Resource.CPU, t == null ? null : t.cpu());
        given.put(Resource.MEMORY, t == null ? null : t.mem());
        given.put(Resource.WRITE, t == null ? null : t.write());
        given.put(Resource.NET_IN, t == null ? null : t.netIn());
        given.put(Resource.NET_OUT, t == null ? null : t.netOut());
        for (Map.Entry<Resource, List<Double>> e : given.entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty() && !space.resources().contains(e.getKey())) {
                throw ConfigException.of("thresholds." + e.getKey().fieldName(), "not part of stateSpace " + space.configName()
                        + " (its resources: " + space.resources().stream().map(Resource::fieldName).toList() + ")",
                        e.getValue().toString());
            }
        }
        Discretiser.Builder b = Discretiser.builder();
        for (Resource resource : space.resources()) {
            List<Double> levels = given.get(resource) == null ? DEFAULT_THRESHOLDS : given.get(resource);
            if (levels.isEmpty()) {
                continue; // not modelled
            }
            b.threshold(resource, levels.stream().mapToDouble(Double::doubleValue).toArray());
        }
        String rendered = node == null ? "the defaults" : node.toString();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.startsWith("resources:")) {
                // the scheme's resources are the keys of thresholds
                throw ConfigException.of(THRESHOLDS.key(), "at least one resource must have thresholds", rendered);
            }
            throw ConfigException.fromValidation(e, rendered);
        }
    }

    private static PriorMatrix loadPrior(Path file, Discretiser discretiser) throws ConfigException {
        int states = discretiser.stateCount();
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.of(PRIOR_FILE.key(), "no such file", file.toString());
        } catch (IOException e) {
            throw ConfigException.of(PRIOR_FILE.key(), "cannot read the file (" + reason(e) + ")", file.toString());
        }
        PriorMatrix prior;
        try {
            prior = PriorMatrix.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(PRIOR_FILE.key(), "not a prior matrix (" + e.getMessage() + ")", file.toString());
        }
        if (prior.stateCount() != states) {
            throw ConfigException.of(PRIOR_FILE.key(), "holds a " + prior.stateCount() + "×" + prior.stateCount()
                    + " matrix, the state scheme needs " + states + "×" + states, file.toString());
        }
        if (!prior.fits(discretiser)) {
            throw ConfigException.of(PRIOR_FILE.key(), "was learned in the state scheme " + prior.scheme().get()
                    + ", this config's stateSpace and thresholds make " + discretiser
                    + " (learn it again with migov prior --thresholds-from this config)", file.toString());
        }
        return prior;
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
