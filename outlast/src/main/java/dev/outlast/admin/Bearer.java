package dev.outlast.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer TOKEN} against the configured admin token, in constant time. */
final class Bearer {

    /** The outcome: allowed, or the status and message to answer with. */
    record Verdict(int status, String code, String message) {
        boolean allowed() {
            return status == 0;
        }
    }

    private static final Verdict ALLOWED = new Verdict(0, null, null);

    private final byte[] token;

    Bearer(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    Verdict check(String authorization) {
        if (token == null) {
            return new Verdict(403, "forbidden", "admin writes are disabled: no admin.token is configured");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verdict(401, "unauthorized", "this operation needs an Authorization: Bearer <admin token> header");
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token) ? ALLOWED
                : new Verdict(403, "forbidden", "the bearer token is not the admin token");
    }
}
