package dev.outlast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An origin whose answers break off: every request but {@code GET /health} gets headers that
 * promise 100 bytes, 10 of them, and a closed connection. Plain sockets, since an HTTP server would
 * not cut its own answers.
 */
public final class CuttingOrigin implements AutoCloseable {

    private final ServerSocket socket;

    public CuttingOrigin() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::serve, "cutting-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                byte[] buffer = new byte[8192];
                int n = s.getInputStream().read(buffer);
                boolean health = n > 0 && new String(buffer, 0, n, StandardCharsets.ISO_8859_1)
                        .startsWith("GET /health ");
                s.getOutputStream().write((health
                        ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n0123456789")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the next connection
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
