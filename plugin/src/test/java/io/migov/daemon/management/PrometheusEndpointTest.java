// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus endpoint over the daemon's own metrics, scraped over real HTTP on the loopback. */
class PrometheusEndpointTest {

    private static final PrometheusEndpoint.Address ANY_LOOPBACK_PORT = new PrometheusEndpoint.Address("127.0.0.1", 0);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DaemonMetrics metrics = new DaemonMetrics();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PrometheusEndpoint start(PrometheusEndpoint.Address address) throws IOException {
        PrometheusEndpoint endpoint = PrometheusEndpoint.start(address, metrics.registry());
        open.add(endpoint);
        return endpoint;
    }

    static HttpResponse<String> get(PrometheusEndpoint.Address address, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String scrape(PrometheusEndpoint.Address address) throws IOException, InterruptedException {
        HttpResponse<String> response = get(address, PrometheusEndpoint.PATH);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The value of the sample line {@code name value} (no labels), failing when there is none. */
    static double sample(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(exposition);
        assertTrue(m.find(), "no sample " + name + " in\n" + exposition);
        return Double.parseDouble(m.group(1));
    }

    /** What the bridge makes of a dropwizard name: the prefix, dots as underscores. */
    static String prometheusName(String dropwizardName) {
        return (PrometheusEndpoint.PREFIX + dropwizardName).replace('.', '_');
    }

    @Test
    void start_onTheLoopback_servesEveryDaemonMetricInTheTextFormat() throws Exception {
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        assertNotEquals(0, endpoint.address().port(), "the bound port, not the 0 asked for");

        HttpResponse<String> response = get(endpoint.address(), "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().map().toString());
        String text = response.body();
        for (String name : metrics.registry().getCounters().keySet()) {
            assertTrue(text.contains("# TYPE " + prometheusName(name) + "_total counter\n"), name + " in\n" + text);
            assertEquals(0.0, sample(text, prometheusName(name) + "_total"), name);
        }
        for (String name : metrics.registry().getTimers().keySet()) {
            assertTrue(text.contains("# TYPE " + prometheusName(name) + " summary\n"), name + " in\n" + text);
            assertEquals(0.0, sample(text, prometheusName(name) + "_count"), name);
        }
        for (String name : metrics.registry().getHistograms().keySet()) {
            assertTrue(text.contains("# TYPE " + prometheusName(name) + " summary\n"), name + " in\n" + text);
            assertEquals(0.0, sample(text, prometheusName(name) + "_count"), name);
        }
        assertEquals(13, metrics.registry().getNames().size(), "DaemonMetrics' own metrics, all checked above");
    }

    /** Prometheus asks for it first when native histograms are on; without the client's protobuf module it would get a 500. */
    @Test
    void scrape_askingForProtobuf_isServed() throws Exception {
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + PrometheusEndpoint.PATH))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                        + "text/plain;version=0.0.4;q=0.3")
                .timeout(Duration.ofSeconds(10)).build();

        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"),
                response.headers().map().toString());
        assertTrue(new String(response.body(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("migov_switches_total"));
    }

    @Test
    void scrape_afterTheRegistryChanges_showsTheNewValues() throws Exception {
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        assertEquals(0.0, sample(scrape(endpoint.address()), "migov_switches_total"));

        metrics.registry().counter("switches").inc(3);
        metrics.registry().histogram("migration.downtime_ms").update(250);
        metrics.registry().timer("tick.duration").update(40, TimeUnit.MILLISECONDS);
        String text = scrape(endpoint.address());

        assertEquals(3.0, sample(text, "migov_switches_total"));
        assertEquals(1.0, sample(text, "migov_migration_downtime_ms_count"));
        assertEquals(250.0, sample(text, "migov_migration_downtime_ms{quantile=\"0.5\"}"), "histograms as recorded (ms)");
        assertEquals(1.0, sample(text, "migov_tick_duration_count"));
        assertEquals(0.04, sample(text, "migov_tick_duration{quantile=\"0.99\"}"), 1e-9, "timers in seconds, Prometheus' base unit");
    }

    @Test
    void scrape_aMetricRegisteredAfterTheStart_isServedToo() throws Exception {
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        String before = scrape(endpoint.address());
        assertTrue(!before.contains("migov_libvirt_jobStats"), before);

        // as DaemonMetrics does at a port method's first call
        metrics.registry().timer("libvirt.jobStats").update(2, TimeUnit.MILLISECONDS);

        assertEquals(1.0, sample(scrape(endpoint.address()), "migov_libvirt_jobStats_count"));
    }

    @Test
    void start_portInUse_failsNamingTheAddressAndLeavesNothingBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PrometheusEndpoint.Address address = new PrometheusEndpoint.Address("127.0.0.1", taken.getLocalPort());
            Set<String> threadsBefore = threadNames();

            IOException e = assertThrows(IOException.class, () -> start(address));

            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (BindException: "),
                    e.getMessage());
            // only threads this start added count: an earlier test's server threads may still be winding down
            Set<String> added = new TreeSet<>(threadNames());
            added.removeAll(threadsBefore);
            assertEquals(Set.of(), added, "no server thread left");
        }
        // and the registry is untouched: a later endpoint mirrors it afresh, without a name registered twice
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        assertEquals(0.0, sample(scrape(endpoint.address()), "migov_errors_total"));
    }

    @Test
    void close_stopsServingAndFreesThePort_twiceIsHarmless() throws Exception {
        PrometheusEndpoint endpoint = start(ANY_LOOPBACK_PORT);
        PrometheusEndpoint.Address address = endpoint.address();
        scrape(address);

        endpoint.close();
        endpoint.close();

        assertThrows(ConnectException.class, () -> get(address, PrometheusEndpoint.PATH));
        PrometheusEndpoint again = start(address); // the same port, free again
        assertEquals(0.0, sample(scrape(again.address()), "migov_switches_total"));
    }

    @Test
    void address_printsAsTheConfigSpellsIt() {
        assertEquals("127.0.0.1:9464", new PrometheusEndpoint.Address("127.0.0.1", 9464).toString());
        assertEquals("[::1]:9464", new PrometheusEndpoint.Address("::1", 9464).toString());
        assertEquals("metrics.example.org:80", new PrometheusEndpoint.Address("metrics.example.org", 80).toString());
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("prometheus") || n.equals("HTTP-Dispatcher"))
                .collect(Collectors.toSet());
    }
}
