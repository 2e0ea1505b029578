package dev.outlast.testing;

import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** HTTP by hand for client tests: answers written byte by byte on a raw socket, and trust in a test certificate. */
public final class RawHttp {

    private RawHttp() {
    }

    /** Takes the client's connection, reads its request, then writes {@code answer} (Latin-1) on it. */
    public static Socket answer(ServerSocket raw, String answer) throws Exception {
        Socket s = raw.accept();
        readRequest(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    /** Reads one request (headers, and a body when it has a content-length) so an answer comes after it; returns its head. */
    public static String readRequest(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        int at = lower.indexOf("content-length:");
        if (at >= 0) {
            in.readNBytes(Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim()));
        }
        TimeUnit.MILLISECONDS.sleep(10);
        return head.toString();
    }

    /** What the next read on {@code s} gives within 3 s: -1 once the client has closed the connection. */
    public static int nextByte(Socket s) throws Exception {
        s.setSoTimeout(3_000);
        return s.getInputStream().read();
    }

    /** A trust manager that trusts {@code cert} only. */
    public static TrustManagerFactory trusting(SelfSignedCertificateExtension cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("server", cert.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust;
    }
}
