package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local HTTP server on port 0 that records every JSON body POSTed to it. */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Server server;

    public WebhookReceiver() {
        server = Server.builder().http(0)
                .service("/hook", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                    try {
                        received.add(JSON.readTree(agg.contentUtf8()));
                        return HttpResponse.of(HttpStatus.OK);
                    } catch (IOException e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                })))
                .build();
        server.start().join();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/hook");
    }

    public List<JsonNode> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
