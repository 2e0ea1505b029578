package dev.outlast.frontdoor.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outlast's own authoritative DNS server, for a zone (or a single name) delegated to Outlast, as GSLBs are:
 * answers queries for the names its {@link BuiltInZone}s hold over UDP and TCP on one address, and refuses
 * every other name (see {@link QueryAnswerer} for what each query gets).
 *
 * <p>One daemon thread reads UDP; one accepts TCP connections, each served on a virtual thread: 2-byte
 * length-prefixed messages, several per connection, closed after {@code idleTimeout} without a query, or when
 * a message is too short to answer even with FORMERR (the stream is out of step). At most {@value #MAX_CONNECTIONS} connections are served at once; others are
 * closed at once. A query that cannot be answered never stops the server.
 *
 * <p>Thread-safe. {@link #start()} once, {@link #close()} when done.
 */
public final class AuthoritativeServer implements AutoCloseable {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_CONNECTIONS = 64;

    private static final Logger log = LoggerFactory.getLogger(AuthoritativeServer.class);
    private static final int BIND_ATTEMPTS = 10;

    private final InetSocketAddress listen;
    private final QueryAnswerer answerer;
    private final int idleMillis;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private DatagramSocket udp;
    private ServerSocket tcp;
    private volatile boolean closed;

    /** @param listen where to listen; port 0 takes a free port, the same for UDP and TCP */
    public AuthoritativeServer(InetSocketAddress listen, List<BuiltInZone> zones) {
        this(listen, zones, DEFAULT_IDLE_TIMEOUT);
    }

    public AuthoritativeServer(InetSocketAddress listen, List<BuiltInZone> zones, Duration idleTimeout) {
        this.listen = listen;
        this.answerer = new QueryAnswerer(zones);
        this.idleMillis = Math.toIntExact(idleTimeout.toMillis());
    }

    /**
     * Binds UDP and TCP and starts answering.
     *
     * @return the address bound (with the port chosen when {@code listen}'s was 0)
     * @throws IOException when the address cannot be bound for both (in use, or a privileged port)
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (tcp != null || closed) {
            throw new IllegalStateException("already started");
        }
        bind();
        Thread udpThread = new Thread(this::serveUdp, "outlast-dns-udp");
        udpThread.setDaemon(true);
        udpThread.start();
        Thread acceptThread = new Thread(this::acceptTcp, "outlast-dns-tcp");
        acceptThread.setDaemon(true);
        acceptThread.start();
        log.info("built-in DNS server listening on {} (UDP and TCP)", address());
        return address();
    }

    private void bind() throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true);
                server.bind(listen, 128);
                udp = new DatagramSocket(new InetSocketAddress(listen.getAddress(), server.getLocalPort()));
                tcp = server;
                return;
            } catch (IOException e) {
                server.close();
                if (listen.getPort() != 0 || attempt == BIND_ATTEMPTS) {
                    throw new IOException("cannot listen on " + listen + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The address bound; null before {@link #start()}. */
    public synchronized InetSocketAddress address() {
        return tcp == null ? null : new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                byte[] query = Arrays.copyOfRange(buffer, packet.getOffset(), packet.getOffset() + packet.getLength());
                byte[] answer = answerer.answer(query, false);
                if (answer != null) {
                    udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.debug("built-in DNS server: UDP query from {} failed: {}", packet.getSocketAddress(), e.toString());
                }
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("built-in DNS server: accept failed: {}", e.toString());
                }
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                closeQuietly(socket);
                continue;
            }
            connections.add(socket);
            Thread.ofVirtual().name("outlast-dns-tcp-connection").start(() -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        try (socket) {
            socket.setSoTimeout(idleMillis);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                int length = in.readUnsignedShort();
                if (length == 0) {
                    return;
                }
                byte[] query = in.readNBytes(length);
                if (query.length < length) {
                    return;
                }
                byte[] answer = answerer.answer(query, true);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException | SocketException closedOrIdle) {
            // the client went away, stayed idle, or the server is closing
        } catch (IOException | RuntimeException e) {
            log.debug("built-in DNS server: TCP connection from {} failed: {}", socket.getRemoteSocketAddress(),
                      e.toString());
        } finally {
            connections.remove(socket);
        }
    }

    /** Stops answering and closes every socket. */
    @Override
    public synchronized void close() {
        closed = true;
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            closeQuietly(tcp);
        }
        connections.forEach(AuthoritativeServer::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
