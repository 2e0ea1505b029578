package dev.outlast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that accepts a connection, reads the start of the request and resets the connection
 * (TCP RST, by closing with a zero linger time): what a crashing origin or a middlebox does. Plain
 * sockets, since an HTTP server would not misbehave this way on purpose. {@code GET /health} is
 * answered 200, so active checks do not demote it before a test sends its request.
 */
public final class ResettingOrigin implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();

    public ResettingOrigin() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "resetting-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[8192];
                int n = in.read(buffer);
                if (n > 0 && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).startsWith("GET /health ")) {
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    continue;
                }
                if (n > 0) {
                    requests.incrementAndGet();
                }
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // closed, or the peer went away: next
            }
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Connections that sent request bytes before being reset. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
