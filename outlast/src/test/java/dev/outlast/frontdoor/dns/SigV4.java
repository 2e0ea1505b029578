package dev.outlast.frontdoor.dns;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does: rebuilds the canonical
 * request from what arrived, derives the signing key from the secret, and compares signatures.
 */
final class SigV4 {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, "
            + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private SigV4() {
    }

    /** Null when {@code request} is signed by {@code accessKey}/{@code secretKey} for {@code service}; else why not. */
    static String problem(AggregatedHttpRequest request, String accessKey, String secretKey, String service) {
        String authorization = request.headers().get("authorization");
        Matcher m = authorization == null ? null : AUTHORIZATION.matcher(authorization);
        if (m == null || !m.matches()) {
            return "no AWS4-HMAC-SHA256 Authorization header: " + authorization;
        }
        String amzDate = request.headers().get("x-amz-date");
        if (!m.group(1).equals(accessKey)) {
            return "signed by " + m.group(1);
        } else if (!m.group(4).equals(service)) {
            return "signed for service " + m.group(4);
        } else if (amzDate == null || !amzDate.startsWith(m.group(2))) {
            return "X-Amz-Date " + amzDate + " does not match the credential date " + m.group(2);
        }
        List<String> signed = List.of(m.group(5).split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            return "host or x-amz-date not signed: " + signed;
        }
        String path = request.path();
        int q = path.indexOf('?');
        StringBuilder canonical = new StringBuilder()
                .append(request.method().name()).append('\n')
                .append(q < 0 ? path : path.substring(0, q)).append('\n')
                .append(canonicalQuery(q < 0 ? "" : path.substring(q + 1))).append('\n');
        for (String name : signed) {
            String value = name.equals("host") ? request.headers().authority() : request.headers().get(name);
            canonical.append(name).append(':').append(value == null ? "" : value.strip()).append('\n');
        }
        canonical.append('\n').append(m.group(5)).append('\n').append(hex(sha256(request.content().array())));
        String scope = m.group(2) + "/" + m.group(3) + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), m.group(2));
        key = hmac(key, m.group(3));
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, toSign));
        return expected.equals(m.group(6)) ? null : "signature does not match; canonical request:\n" + canonical;
    }

    /** The query's parameters sorted, each name and value percent-encoded as SigV4 wants. */
    private static String canonicalQuery(String query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            pairs.add(encode(name) + "=" + encode(value));
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
