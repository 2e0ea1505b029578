package dev.outlast.admin;

import static dev.outlast.admin.Responses.error;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;

/**
 * The method each admin endpoint answers, and the admin token in front of every write. Errors are
 * JSON {@code {"error": {"code", "message"}}}: 405 for another method, 401 without a bearer token
 * (with {@code WWW-Authenticate: Bearer}), 403 for a wrong token or when writes are disabled.
 *
 * <p>Thread-safe (stateless).
 */
final class Endpoints {

    private Endpoints() {
    }

    /** {@code handler} for {@code GET}. */
    static HttpService get(HttpService handler) {
        return only(HttpMethod.GET, handler);
    }

    /** {@code handler} for {@code POST} with the admin token. */
    static HttpService post(Bearer bearer, HttpService handler) {
        return only(HttpMethod.POST, (ctx, req) -> {
            Bearer.Verdict v = bearer.check(req.headers().get("authorization"));
            if (!v.allowed()) {
                HttpResponse denied = error(HttpStatus.valueOf(v.status()), v.code(), v.message());
                return v.status() == 401 ? denied.mapHeaders(h -> h.toBuilder().add("www-authenticate", "Bearer").build())
                                         : denied;
            }
            return handler.serve(ctx, req);
        });
    }

    private static HttpService only(HttpMethod method, HttpService handler) {
        return (ctx, req) -> {
            if (req.method() != method) {
                return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        req.method() + " is not allowed here (expected: " + method + ")");
            }
            return handler.serve(ctx, req);
        };
    }
}
