// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.daemon.management.PrometheusEndpoint;
import io.migov.testing.FakeHypervisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code prometheusAddress} setting, from the config file to the daemon's running endpoint. */
class DaemonPrometheusTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private static DaemonConfig parse(String json) throws ConfigException {
        return DaemonConfig.parse(json, "test.json", Path.of("/etc/migov"), DaemonConfig.Overrides.NONE);
    }

    private DaemonConfig config(String prometheusAddress) throws ConfigException {
        String json = prometheusAddress == null ? "{}" : "{\"prometheusAddress\": \"" + prometheusAddress + "\"}";
        return DaemonConfig.parse(json, "test.json", tmp, new DaemonConfig.Overrides("test:///default",
                tmp.resolve("state").toString(), "advise"));
    }

    /** A port nothing listens on now (the system's pick, released at once). */
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String scrape(String address) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static double sample(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(exposition);
        assertTrue(m.find(), "no sample " + name + " in\n" + exposition);
        return Double.parseDouble(m.group(1));
    }

    // ------------------------------------------------------------------------------- the setting

    @Test
    void parse_noPrometheusAddress_isOff() throws Exception {
        assertNull(parse("{}").prometheusAddress());
        assertNull(DaemonConfig.defaults(DaemonConfig.Overrides.NONE).prometheusAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"prometheusAddress\": null}", "{\"prometheusAddress\": \"\"}"})
    void parse_prometheusAddressNullOrEmpty_isOff(String json) throws Exception {
        assertNull(parse(json).prometheusAddress());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:9464      | 127.0.0.1           | 9464",
            "0.0.0.0:1           | 0.0.0.0             | 1",
            "[::1]:65535         | ::1                 | 65535",
            "[fe80::1%eth0]:9464 | fe80::1%eth0        | 9464",
            "metrics.example.org:9464 | metrics.example.org | 9464",
            "localhost:09464     | localhost           | 9464"})
    void parse_prometheusAddress_givesHostAndPort(String value, String host, int port) throws Exception {
        PrometheusEndpoint.Address a = parse("{\"prometheusAddress\": \"" + value + "\"}").prometheusAddress();
        assertEquals(new PrometheusEndpoint.Address(host, port), a);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9464                | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "127.0.0.1           | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            ":9464               | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "127.0.0.1:          | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "127.0.0.1:http      | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "127.0.0.1:-1        | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "host name:9464      | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "http://host:9464    | expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464",
            "127.0.0.1:0         | port out of range: expected 1..65535",
            "127.0.0.1:65536     | port out of range: expected 1..65535",
            "127.0.0.1:99999999999999999999 | port out of range: expected 1..65535",
            "::1:9464            | an IPv6 address goes in brackets, e.g. [::1]:9464",
            "[example.org]:9464  | expected an IPv6 address in the brackets, e.g. [::1]:9464"})
    void parse_badPrometheusAddress_failsNamingTheKeyAndTheValue(String value, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"prometheusAddress\": \"" + value + "\"}"));
        assertEquals("config: prometheusAddress: " + problem + ", got '" + value + "'", e.getMessage());
    }

    @Test
    void parse_prometheusAddressAsANumber_failsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"prometheusAddress\": 9464}"));
        assertEquals("config: prometheusAddress: expected a string, got 9464", e.getMessage());
    }

    // ------------------------------------------------------------------------------- the running daemon

    @Test
    void start_withPrometheusAddress_servesTheDaemonsMetricsUntilStopped() throws Exception {
        String address = "127.0.0.1:" + freePort();
        Daemon daemon = Daemon.builder().config(config(address)).hypervisors(FakeHypervisor::new).start();
        try {
            assertEquals(address, daemon.prometheus().orElseThrow().address().toString());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (daemon.governor().stats().ticks() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String text = scrape(address);
            // the profiler's own timer, fed by the running scheduler, seen through the endpoint
            assertTrue(sample(text, "migov_tick_duration_count") >= 1, text);
            assertEquals(0.0, sample(text, "migov_migrations_total"));
            // the same registry JMX shows: one more in it is one more here
            daemon.management().metrics().registry().counter("errors").inc();
            assertEquals(1.0, sample(scrape(address), "migov_errors_total"));
        } finally {
            daemon.stop();
        }
        assertThrows(ConnectException.class, () -> scrape(address), "the port is closed at shutdown");
    }

    @Test
    void start_withoutPrometheusAddress_hasNoEndpoint() throws Exception {
        Daemon daemon = Daemon.builder().config(config(null)).hypervisors(FakeHypervisor::new).start();
        try {
            assertTrue(daemon.prometheus().isEmpty());
        } finally {
            daemon.stop();
        }
    }

    @Test
    void start_prometheusPortInUse_failsNamingTheSettingAndAddress_andClosesWhatItOpened() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            FakeHypervisor[] opened = new FakeHypervisor[1];
            DaemonException e = assertThrows(DaemonException.class, () -> Daemon.builder().config(config(address))
                    .hypervisors(uri -> opened[0] = new FakeHypervisor(uri)).start());
            assertTrue(e.getMessage().startsWith("cannot start: prometheusAddress: cannot listen on " + address + " (BindException: "),
                    e.getMessage());
            assertTrue(opened[0].closed, "the hypervisor opened before is closed again");
        }
        // nothing was left registered: a daemon starts afterwards in the same JVM (its MBeans included)
        Daemon daemon = Daemon.builder().config(config(null)).hypervisors(FakeHypervisor::new).start();
        daemon.stop();
    }
}
