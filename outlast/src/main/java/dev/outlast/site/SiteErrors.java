package dev.outlast.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.outlast.transport.OutlastHeaders;
import java.util.List;

/**
 * The answer Outlast gives for a site in place of an origin's, built here only, whichever server
 * writes it: JSON {@code {"error":{"reason","message","site","origins":[...]}}} with
 * {@code X-Outlast-Upstream: outlast}. {@code reason} is a stable word ({@code all_origins_failed},
 * {@code not_retried}, {@code response_failed}); {@code origins} lists the failed attempts of the
 * request, in order, with their URL secrets hidden (empty when none failed).
 *
 * <p>Thread-safe (stateless).
 */
public final class SiteErrors {

    /** The {@code reason} of an answer whose origin response broke off before anything was sent. */
    public static final String RESPONSE_FAILED = "response_failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SiteErrors() {
    }

    /**
     * One failed attempt as the body lists it.
     *
     * @param origin      the origin's name
     * @param failure     the failure kind's label
     * @param detail      what happened, secrets hidden
     * @param notReceived whether the origin provably never received the request
     */
    record Failed(String origin, String failure, String detail, boolean notReceived) {

        /** {@code failure} of {@code origin}, its detail scrubbed of the origin's URL secrets. */
        static Failed of(Origin origin, OriginFailure failure) {
            return new Failed(origin.name(), failure.kind().label(), origin.redactor().scrub(failure.detail()),
                              failure.notReceived());
        }
    }

    /**
     * The answer for a response that broke off before any of it was sent to the client, when what
     * failed is not known: a 502 saying so, with no attempt listed.
     */
    public static HttpResponse responseFailed(String site) {
        return response(HttpStatus.BAD_GATEWAY, RESPONSE_FAILED, "The origin's response could not be completed",
                site, List.of(), null);
    }

    /**
     * The answer: {@code status}, the body above, and {@code X-Outlast-Not-Retried: notRetried} when
     * that is not null. The body's length is left to the server writing it.
     */
    static HttpResponse response(HttpStatus status, String reason, String message, String site, List<Failed> origins,
                                 String notRetried) {
        ResponseHeadersBuilder h = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8)
                .set(OutlastHeaders.UPSTREAM, OutlastHeaders.OUTLAST);
        if (notRetried != null) {
            h.set(OutlastHeaders.NOT_RETRIED, notRetried);
        }
        return HttpResponse.of(h.build(), HttpData.wrap(body(reason, message, site, origins)));
    }

    private static byte[] body(String reason, String message, String site, List<Failed> origins) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("reason", reason);
        error.put("message", message);
        error.put("site", site);
        ArrayNode list = error.putArray("origins");
        for (Failed f : origins) {
            ObjectNode n = list.addObject();
            n.put("name", f.origin());
            n.put("failure", f.failure());
            n.put("detail", f.detail());
            n.put("notReceived", f.notReceived());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
