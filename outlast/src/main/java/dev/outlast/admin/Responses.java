package dev.outlast.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;

/**
 * The JSON answers of the admin API: pretty-printed bodies, {@code {"error": {"code", "message"}}}
 * for errors, and numbers rounded to three decimals.
 *
 * <p>Thread-safe (stateless).
 */
public final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /** {@code body}, pretty-printed, as {@code application/json; charset=utf-8} with {@code status}. */
    public static HttpResponse json(HttpStatus status, ObjectNode body) {
        try {
            return HttpResponse.of(ResponseHeaders.of(status, "content-type", MediaType.JSON_UTF_8.toString()),
                    HttpData.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse error(HttpStatus status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
