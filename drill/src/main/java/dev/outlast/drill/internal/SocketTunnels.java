package dev.outlast.drill.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket connections a fault proxy passes through: a client's upgrade request is sent to the
 * target as it came (its {@code Host} rewritten), and from then on bytes flow both ways untouched
 * until either side closes. Socket faults act on every tunnel at once: {@link #closeAll} closes
 * them (the client sees the connection end without a close frame, as when a provider's socket
 * server restarts), a stall holds everything the target sends (the connection stays open and
 * silent, then what was held flows), and a delay holds each chunk the target sends that long.
 *
 * <p>Thread-safe.
 */
public final class SocketTunnels {

    private static final int CHUNK = 16 * 1024;

    private final URI target;
    /** The client side of each open tunnel: closing it ends the tunnel, target side included. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;
    private volatile long delayNanos;

    public SocketTunnels(URI target) {
        this.target = target;
    }

    /** Whether {@code request} asks for a WebSocket. */
    public static boolean isUpgrade(WireRequest request) {
        return request.header("upgrade").map(u -> u.equalsIgnoreCase("websocket")).orElse(false);
    }

    /** Closes every tunnel open now, both sides. */
    public void closeAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** Holds ({@code true}) or releases what the target sends on every tunnel. */
    public void stall(boolean on) {
        stalled = on;
    }

    /** Holds each chunk the target sends for {@code delay} before passing it on (zero: none). */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    /** How many tunnels are open. */
    public int openCount() {
        return open.size();
    }

    public boolean isStalled() {
        return stalled;
    }

    public long delayMillis() {
        return delayNanos / 1_000_000;
    }

    /**
     * Passes {@code request} to the target and relays both ways until one side closes; returns then.
     * Runs on the client connection's thread (a virtual thread), with one more for the target's side.
     */
    public void relay(Socket client, InputStream clientIn, OutputStream clientOut, WireRequest request)
            throws IOException {
        int port = target.getPort() > 0 ? target.getPort() : 80;
        try (Socket upstream = new Socket(target.getHost(), port)) {
            open.add(client);
            upstream.setTcpNoDelay(true);
            OutputStream toTarget = upstream.getOutputStream();
            toTarget.write(head(request, target.getHost() + ":" + port));
            toTarget.write(request.body());
            toTarget.flush();
            InputStream fromTarget = upstream.getInputStream();
            Thread down = Thread.ofVirtual().name("fault-proxy-ws-" + client.getPort()).start(() -> {
                try {
                    pump(fromTarget, clientOut, true);
                } catch (IOException e) {
                    // either side went away
                } finally {
                    closeQuietly(client);
                    closeQuietly(upstream);
                }
            });
            try {
                clientOut.flush();
                pump(clientIn, toTarget, false);
            } catch (IOException e) {
                // either side went away
            } finally {
                closeQuietly(upstream);
                closeQuietly(client);
                try {
                    down.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            open.remove(client);
        }
    }

    private void pump(InputStream in, OutputStream out, boolean fromTarget) throws IOException {
        byte[] buffer = new byte[CHUNK];
        while (true) {
            while (fromTarget && stalled) {
                sleep(20_000_000L);
            }
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            long delay = fromTarget ? delayNanos : 0;
            if (delay > 0) {
                sleep(delay);
            }
            while (fromTarget && stalled) {
                sleep(20_000_000L);
            }
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private static byte[] head(WireRequest request, String host) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target()).append(' ').append(request.version())
                .append("\r\n");
        for (WireRequest.Header h : request.headers()) {
            head.append(h.name()).append(": ").append(h.name().equalsIgnoreCase("host") ? host : h.value())
                    .append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void sleep(long nanos) throws IOException {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
