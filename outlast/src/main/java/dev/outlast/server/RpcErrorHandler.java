package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.transport.OutlastHeaders;

/**
 * Turns the errors Armeria produces before a request reaches {@link RpcService} (a body over the
 * size limit, a protocol violation, a request timeout) into JSON-RPC error bodies on
 * {@code /rpc/} paths, so a client never sees an HTML or plain-text error there.
 */
final class RpcErrorHandler implements ServerErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int maxRequestBytes;

    RpcErrorHandler(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null;
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        if (headers == null || !headers.path().startsWith("/rpc/")) {
            return null;
        }
        return render(status);
    }

    @Override
    public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
                                                      String description, Throwable cause) {
        if (headers == null || !headers.path().startsWith("/rpc/")) {
            return null;
        }
        return render(status);
    }

    private AggregatedHttpResponse render(HttpStatus status) {
        ObjectNode error;
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            error = RpcErrors.of(OutlastError.REQUEST_TOO_LARGE, "Request body exceeds " + maxRequestBytes + " bytes");
            RpcErrors.data(error).put("limit", maxRequestBytes);
        } else if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.REQUEST_TIMEOUT) {
            error = RpcErrors.of(OutlastError.DEADLINE_EXCEEDED);
        } else if (status.isClientError()) {
            error = RpcErrors.of(OutlastError.INVALID_REQUEST, "Invalid request: HTTP " + status.code());
        } else {
            error = RpcErrors.of(OutlastError.INTERNAL_ERROR);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.putNull("id");
        body.set("error", error);
        try {
            return AggregatedHttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8)
                    .add(OutlastHeaders.UPSTREAM, OutlastHeaders.OUTLAST).build(),
                    HttpData.wrap(JSON.writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
