package dev.outlast.drill.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One client connection, served on its own virtual thread: requests are read and answered in turn
 * while the client keeps the connection alive.
 *
 * <p>A reset sets {@code SO_LINGER} to 0 and closes the socket, so the kernel sends a TCP RST instead
 * of a FIN: the client's read fails with "connection reset". A black hole keeps reading (and
 * discarding) until the client closes the connection or the proxy is closed, and never writes. A
 * WebSocket upgrade hands the connection to {@link SocketTunnels}, which relays it to the end.
 */
public final class Connection implements Runnable {

    private final Socket socket;
    private final ProxyHandler handler;
    private final SocketTunnels tunnels;
    private final Runnable onClose;

    public Connection(Socket socket, ProxyHandler handler, SocketTunnels tunnels, Runnable onClose) {
        this.socket = socket;
        this.handler = handler;
        this.tunnels = tunnels;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (true) {
                WireRequest request;
                try {
                    request = HttpWire.read(in, out);
                } catch (HttpWire.MalformedRequestException e) {
                    HttpWire.write(out, WireResponse.of(400, "text/plain", e.getMessage() + "\n"), false);
                    return;
                }
                if (request == null) {
                    return;
                }
                if (SocketTunnels.isUpgrade(request)) {
                    tunnels.relay(socket, in, out, request);
                    return;
                }
                switch (handler.handle(request)) {
                    case Outcome.Respond r -> HttpWire.write(out, r.response(), request.keepAlive());
                    case Outcome.Reset r -> {
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case Outcome.BlackHole b -> {
                        in.transferTo(OutputStream.nullOutputStream());
                        return;
                    }
                }
                if (!request.keepAlive()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the proxy closed the socket: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }
}
