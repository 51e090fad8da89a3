// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;

/** RMI server sockets bound to one address (not all interfaces), optionally TLS, optionally requiring a client certificate. */
final class BoundSocketFactory implements RMIServerSocketFactory {

    private final InetAddress address;
    private final SSLContext tls;
    private final boolean needClientAuth;

    BoundSocketFactory(InetAddress address, SSLContext tls, boolean needClientAuth) {
        this.address = address;
        this.tls = tls;
        this.needClientAuth = needClientAuth;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        if (tls == null) {
            return new ServerSocket(port, 50, address);
        }
        SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, 50, address);
        s.setNeedClientAuth(needClientAuth);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundSocketFactory f && Objects.equals(address, f.address) && f.tls == tls && f.needClientAuth == needClientAuth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, System.identityHashCode(tls), needClientAuth);
    }
}
