// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The optional Prometheus endpoint (the {@code prometheusAddress} setting, off by default): the daemon's
 * dropwizard registry ({@link DaemonMetrics}) in Prometheus' text format at
 * {@code http://host:port/metrics}, through the Prometheus client's dropwizard bridge and its HTTP
 * server. Every name gets the prefix {@value #PREFIX}, so that {@code migrations} or {@code errors}
 * cannot clash with another exporter's in a fleet's Prometheus; the bridge turns dots into
 * underscores ({@code tick.duration} → {@code migov_tick_duration}).
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    public static final String PREFIX = "migov.";
    public static final String PATH = "/metrics";

    private final Address address;
    private final HTTPServer server;
    private final MetricRegistry source;
    private final MetricRegistryListener mirror;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrometheusEndpoint(Address address, HTTPServer server, MetricRegistry source, MetricRegistryListener mirror) {
        this.address = address;
        this.server = server;
        this.source = source;
        this.mirror = mirror;
    }

    /**
     * Where the endpoint listens: a host name or IP address (IPv6 in brackets) and a port.
     *
     * @param port 1..65535 from the config file; 0 (a free port the system picks) only for tests
     */
    public record Address(String host, int port) {

        private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
        private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
        private static final String EXPECTED = "expected host:port, e.g. 127.0.0.1:9464 or [::1]:9464";

        public Address {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: expected 0..65535, got " + port);
            }
        }

        /**
         * Parses {@code host:port}, syntax only (a host name is resolved when the endpoint starts).
         *
         * @throws IllegalArgumentException the problem, without the key or the value (the caller names both)
         */
        public static Address parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException(EXPECTED);
            }
            String host = text.substring(0, colon);
            String port = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
                String literal = host.substring(1, host.length() - 1);
                if (!literal.contains(":") || !IPV6.matcher(literal).matches()) {
                    throw new IllegalArgumentException("expected an IPv6 address in the brackets, e.g. [::1]:9464");
                }
                host = literal;
            } else if (host.contains(":") && IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. [::1]:9464");
            } else if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException(EXPECTED);
            }
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(EXPECTED);
            }
            // at most 5 digits before parsing, so that a long number is out of range rather than an overflow
            if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("port out of range: expected 1..65535");
            }
            return new Address(host, Integer.parseInt(port));
        }

        /** {@code host:port} as the config file spells it ({@code [::1]:9464} for IPv6). */
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Binds {@code address} and serves {@code metrics} at {@value #PATH}, or fails leaving nothing
     * behind (no socket, no thread, no listener on the registry).
     *
     * @throws IOException naming the address and why: the host cannot be resolved, or the port
     *                     cannot be bound (in use, privileged, no such local address)
     */
    public static PrometheusEndpoint start(Address address, MetricRegistry metrics) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(metrics, "metrics");
        InetAddress host;
        try {
            host = InetAddress.getByName(address.host());
        } catch (IOException e) {
            throw new IOException("cannot resolve the host of " + address + " (" + reason(e) + ")", e);
        }
        PrometheusRegistry registry = new PrometheusRegistry(); // not the client's global default registry
        HTTPServer server;
        try {
            server = HTTPServer.builder().inetAddress(host).port(address.port()).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address + " (" + reason(e) + ")", e);
        }
        // bound: only now touch the daemon's registry. The mirror holds the same metric objects under
        // prefixed names, and follows metrics registered later (libvirt.<call> timers at their first call)
        MetricRegistry prefixed = new MetricRegistry();
        MetricRegistryListener mirror = new Mirror(prefixed);
        try {
            metrics.addListener(mirror); // also reports every metric already registered
            DropwizardExports.builder().dropwizardRegistry(prefixed).register(registry);
        } catch (RuntimeException e) {
            metrics.removeListener(mirror);
            server.close();
            throw e;
        }
        PrometheusEndpoint endpoint = new PrometheusEndpoint(new Address(address.host(), server.getPort()), server, metrics, mirror);
        LOG.info("prometheus: metrics at http://{}{}", endpoint.address(), PATH);
        if (host.isAnyLocalAddress()) {
            LOG.warn("prometheus: listening on every interface ({}), without authentication", address);
        }
        return endpoint;
    }

    /** Where it listens; the port is the bound one (a free port when 0 was asked for). */
    public Address address() {
        return address;
    }

    /** Stops serving and frees the port. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        source.removeListener(mirror);
        server.close();
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Keeps {@code target} holding every metric of the source under {@value #PREFIX} + its name. */
    private static final class Mirror implements MetricRegistryListener {
        private final MetricRegistry target;

        Mirror(MetricRegistry target) {
            this.target = target;
        }

        private void add(String name, Metric metric) {
            try {
                target.register(PREFIX + name, metric);
            } catch (IllegalArgumentException alreadyThere) {
                // a metric registered while addListener replayed the existing ones is reported twice;
                // the mirror must never fail the daemon's own call that registered it
            }
        }

        private void remove(String name) {
            target.remove(PREFIX + name);
        }

        @Override
        public void onGaugeAdded(String name, Gauge<?> gauge) {
            add(name, gauge);
        }

        @Override
        public void onGaugeRemoved(String name) {
            remove(name);
        }

        @Override
        public void onCounterAdded(String name, Counter counter) {
            add(name, counter);
        }

        @Override
        public void onCounterRemoved(String name) {
            remove(name);
        }

        @Override
        public void onHistogramAdded(String name, Histogram histogram) {
            add(name, histogram);
        }

        @Override
        public void onHistogramRemoved(String name) {
            remove(name);
        }

        @Override
        public void onMeterAdded(String name, Meter meter) {
            add(name, meter);
        }

        @Override
        public void onMeterRemoved(String name) {
            remove(name);
        }

        @Override
        public void onTimerAdded(String name, Timer timer) {
            add(name, timer);
        }

        @Override
        public void onTimerRemoved(String name) {
            remove(name);
        }
    }
}
