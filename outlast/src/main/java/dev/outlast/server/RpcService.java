package dev.outlast.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.config.ServerConfig;
import dev.outlast.routing.Chain;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RequestParser;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.transport.OutlastHeaders;
import dev.outlast.transport.RpcReply;
import dev.outlast.transport.fastpath.RpcEndpoint;
import dev.outlast.upstream.Upstream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rpc/{chain}}: parses the body, routes each request of a single or batch body through
 * its chain, and writes the answers in request order with the {@code X-Outlast-*} headers.
 *
 * <p>Every failure becomes a JSON-RPC error: unknown chain (404), wrong HTTP method (405), body too
 * large (413), malformed JSON, invalid requests, limits. Never a stack trace, never a hang: every
 * routed request carries its chain's deadline.
 *
 * <p>Thread-safe; never blocks the event loop.
 */
final class RpcService implements HttpService, RpcEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RpcService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Chain> chains;
    private final RequestParser parser;
    private final ServerConfig config;
    private final Metrics metrics;

    RpcService(Map<String, Chain> chains, ServerConfig config, Metrics metrics) {
        this.chains = chains;
        this.config = config;
        this.parser = new RequestParser(config.maxJsonDepth(), config.maxBatchSize());
        this.metrics = metrics;
    }

    /**
     * Unary: the request is read whole before {@link #serve} and every answer is complete before it
     * is written, so the server writes headers and body together.
     */
    @Override
    public ExchangeType exchangeType(RoutingContext routingContext) {
        return ExchangeType.UNARY;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        String chainId = ctx.pathParam("chain");
        Chain chain = chainId == null ? null : chains.get(chainId);
        if (req.method() != HttpMethod.POST) {
            return toResponse(error(HttpStatus.METHOD_NOT_ALLOWED, RpcErrors.of(OutlastError.INVALID_REQUEST,
                    "Invalid request: JSON-RPC requests are sent with POST")));
        }
        if (chain == null) {
            ObjectNode error = RpcErrors.of(OutlastError.UNKNOWN_CHAIN, "Unknown chain: " + chainId);
            RpcErrors.data(error).putArray("chains").addAll(chains.keySet().stream()
                    .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
            return toResponse(error(HttpStatus.NOT_FOUND, error));
        }
        CompletableFuture<RpcReply> reply = req.aggregate().handle((agg, failure) -> {
            if (failure != null) {
                Throwable cause = Exceptions.peel(failure);
                if (cause instanceof ContentTooLargeException) {
                    ObjectNode error = RpcErrors.of(OutlastError.REQUEST_TOO_LARGE,
                            "Request body exceeds " + config.maxRequestBytes() + " bytes");
                    RpcErrors.data(error).put("limit", config.maxRequestBytes());
                    return CompletableFuture.completedFuture(error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, error));
                }
                return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST,
                        RpcErrors.of(OutlastError.PARSE_ERROR, "Parse error: the body could not be read")));
            }
            return reply(chain, agg.content().array());
        }).thenCompose(f -> f);
        // An answer ready at once (a cache hit, an error, eth_chainId) is returned as it is, without
        // the deferred response that waits for one; reply() never completes exceptionally.
        RpcReply ready = reply.getNow(null);
        return ready != null ? toResponse(ready) : HttpResponse.of(reply.thenApply(RpcService::toResponse));
    }

    @Override
    public Map<String, Chain> chains() {
        return chains;
    }

    /**
     * Answers one {@code POST /rpc/{chain}} body, whichever server read it: parses it, routes each
     * request of a single or batch body through the chain and builds the answer. Never completes
     * exceptionally: an unexpected failure is a JSON-RPC internal error.
     */
    @Override
    public CompletableFuture<RpcReply> reply(Chain chain, byte[] body) {
        CompletableFuture<RpcReply> reply;
        try {
            reply = handle(chain, body);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.exceptionally(e -> {
            log.error("unexpected error serving /rpc/{}", chain.id(), e);
            return error(HttpStatus.INTERNAL_SERVER_ERROR, RpcErrors.of(OutlastError.INTERNAL_ERROR));
        });
    }

    private CompletableFuture<RpcReply> handle(Chain chain, byte[] body) {
        RequestParser.Parsed parsed = parser.parse(body);
        return switch (parsed) {
            case RequestParser.Rejected r -> CompletableFuture.completedFuture(error(HttpStatus.OK, r.error()));
            case RequestParser.Single s -> answer(chain, s.entry()).thenApply(a -> {
                if (a.body == null) {
                    return RpcReply.NO_CONTENT;
                }
                return ok(a.body, a.upstreams, a.consensus, a.verified, a.cache);
            });
            case RequestParser.Batch b -> {
                // The first upstream calls of all elements go out together: one batch per upstream.
                List<CompletableFuture<Answer>> answers = Upstream.batching(() -> {
                    List<CompletableFuture<Answer>> started = new ArrayList<>();
                    for (RequestParser.Entry entry : b.entries()) {
                        started.add(answer(chain, entry));
                    }
                    return started;
                });
                yield CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(x -> {
                    ArrayNode array = JSON.createArrayNode();
                    Set<String> upstreams = new LinkedHashSet<>();
                    Set<String> consensus = new LinkedHashSet<>();
                    Set<String> verified = new LinkedHashSet<>();
                    Set<String> cache = new LinkedHashSet<>();
                    for (CompletableFuture<Answer> f : answers) {
                        Answer a = f.join();
                        if (a.body != null) {
                            array.add(a.body);
                        }
                        upstreams.addAll(a.upstreams);
                        if (a.consensus != null) {
                            consensus.add(a.consensus);
                        }
                        if (a.verified != null) {
                            verified.add(a.verified);
                        }
                        if (a.cache != null) {
                            cache.add(a.cache);
                        }
                    }
                    if (array.isEmpty()) {
                        return RpcReply.NO_CONTENT;
                    }
                    return ok(array, List.copyOf(upstreams),
                            consensus.isEmpty() ? null : String.join(",", consensus),
                            verified.isEmpty() ? null : String.join(",", verified),
                            cache.isEmpty() ? null : String.join(",", cache));
                });
            }
        };
    }

    private record Answer(JsonNode body, List<String> upstreams, String consensus, String verified, String cache) {
    }

    private CompletableFuture<Answer> answer(Chain chain, RequestParser.Entry entry) {
        if (!entry.isValid()) {
            return CompletableFuture.completedFuture(new Answer(envelope(entry.id(), RpcResponse.error(entry.error())),
                    List.of(), null, null, null));
        }
        long start = System.nanoTime();
        return chain.execute(entry.request()).thenApply(outcome -> {
            metrics.request(chain.id(), entry.request().method(), outcome.outcome(), System.nanoTime() - start);
            JsonNode body = entry.request().isNotification() ? null : envelope(entry.request().id(), outcome.response());
            return new Answer(body, outcome.upstreams(), outcome.consensus(), outcome.verified(), outcome.cache());
        });
    }

    private static ObjectNode envelope(JsonNode id, RpcResponse response) {
        ObjectNode node = JSON.createObjectNode();
        node.put("jsonrpc", "2.0");
        node.set("id", id == null ? NullNode.getInstance() : id);
        if (response.isError()) {
            node.set("error", response.error());
        } else {
            node.set("result", response.result());
        }
        return node;
    }

    private static RpcReply ok(JsonNode body, List<String> upstreams, String consensus, String verified,
                               String cache) {
        return new RpcReply(HttpStatus.OK, write(body),
                upstreams.isEmpty() ? OutlastHeaders.OUTLAST : String.join(",", upstreams),
                consensus, verified, cache);
    }

    private static RpcReply error(HttpStatus status, ObjectNode error) {
        return new RpcReply(status, write(envelope(null, RpcResponse.error(error))), OutlastHeaders.OUTLAST, null, null,
                null);
    }

    /**
     * The reply as Armeria's response: headers with the body's length, then the body.
     * {@code HttpResponse.of(headers, content)} would copy the finished headers once more to add it.
     */
    private static HttpResponse toResponse(RpcReply reply) {
        if (reply.body() == null) {
            return HttpResponse.of(reply.status());
        }
        ResponseHeadersBuilder headers = ResponseHeaders.builder(reply.status()).contentType(MediaType.JSON_UTF_8);
        reply.outlastHeaders(headers::add);
        headers.contentLength(reply.body().length);
        return HttpResponse.of(new HttpObject[] {headers.build(), HttpData.wrap(reply.body())});
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
