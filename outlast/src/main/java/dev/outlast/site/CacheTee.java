package dev.outlast.site;

import com.linecorp.armeria.common.HttpData;
import java.io.ByteArrayOutputStream;

/**
 * Copies a response body for the cache while it streams, giving up past the entry limit, and
 * stores it once the body is complete: when the declared {@code content-length} is reached, or
 * when the stream ends normally (the server may cancel its subscription as soon as the declared
 * length is written, before the end signal).
 *
 * <p>Not thread-safe: driven by one response stream.
 */
final class CacheTee {

    private final StaleCache.Pending pending;
    private final long limit;
    private final long declared;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    CacheTee(StaleCache.Pending pending, long limit, long declared) {
        this.pending = pending;
        this.limit = limit;
        this.declared = declared;
    }

    void add(HttpData data) {
        if (bytes == null) {
            return;
        }
        if (bytes.size() + (long) data.length() > limit || declared > limit) {
            bytes = null;
            return;
        }
        bytes.writeBytes(data.array());
        if (bytes.size() == declared) {
            complete();
        }
    }

    void complete() {
        if (bytes != null && (declared < 0 || bytes.size() == declared)) {
            pending.store(bytes.toByteArray());
        }
        bytes = null;
    }
}
