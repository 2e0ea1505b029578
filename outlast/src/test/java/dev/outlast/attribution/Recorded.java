package dev.outlast.attribution;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A recorded HTTP response from {@code src/test/resources/attribution/}: a status line, header
 * lines, a blank line, then the start of the body, as {@code curl -i} shows it.
 */
public record Recorded(int status, HttpHeaders headers, String body) {

    public static Recorded load(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/attribution/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Recorded parse(String text) {
        String[] parts = text.replace("\r\n", "\n").split("\n\n", 2);
        String[] lines = parts[0].split("\n");
        int status = Integer.parseInt(lines[0].trim().split(" +")[1]);
        HttpHeadersBuilder headers = HttpHeaders.builder();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        return new Recorded(status, headers.build(), parts.length > 1 ? parts[1] : "");
    }

    public Attribution attribute() {
        return Attributor.attribute(status, headers, body);
    }
}
