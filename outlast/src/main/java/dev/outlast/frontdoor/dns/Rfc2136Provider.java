package dev.outlast.frontdoor.dns;

import dev.outlast.config.DnsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Writes a front door's record by RFC 2136 dynamic update, signed with TSIG, as {@code nsupdate} does,
 * and reads it back by querying the same server.
 *
 * <p>A write is one UPDATE message for the zone: delete the name's {@code CNAME}, {@code A} and {@code AAAA}
 * RRsets, then add the new records with their TTL; the server applies it whole or not at all. A read asks the
 * server named (not a resolver, so no cache stands between) for {@code CNAME}, then {@code A}, then
 * {@code AAAA}, signed with the key when one is configured, and takes an answer only if its signature verifies.
 * Failures carry the server's words: the RCODE ({@code NOTAUTH}, {@code REFUSED}, {@code NOTZONE},
 * {@code SERVFAIL}), the TSIG error ({@code BADSIG}, {@code BADKEY}, {@code BADTIME}), or the time-out.
 *
 * <p>Nothing blocks the caller: messages go through dnsjava's non-blocking client, and the answers, like the
 * look-up of a server given by name, are handled on {@code executor}. Thread-safe.
 */
public final class Rfc2136Provider implements DnsProvider {

    /** How long one message waits for its answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);


    private final DnsConfig.Rfc2136 config;
    private final Executor executor;
    private final Duration timeout;
    private final TSIG tsig;
    private final String description;

    /**
     * @param executor runs the handling of answers and the look-up of the server's name; may block briefly
     * @param clock    signs TSIG messages with its time (the server refuses a skew beyond 5 minutes: BADTIME)
     */
    public Rfc2136Provider(DnsConfig.Rfc2136 config, Executor executor, Clock clock, Duration timeout) {
        this.config = config;
        this.executor = executor;
        this.timeout = timeout;
        this.tsig = config.tsig() == null ? null : tsig(config.tsig(), clock);
        this.description = "rfc2136 " + hostPort(config.server()) + " (zone "
                           + config.zone() + (config.tsig() == null ? "" : ", key " + config.tsig().name()) + ")";
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static TSIG tsig(DnsConfig.Tsig key, Clock clock) {
        Name algorithm = TSIG.algorithmToName(key.algorithm());
        byte[] secret = Base64.getDecoder().decode(key.secret());
        return new TSIG(algorithm, WireRecords.name(key.name()),
                        new SecretKeySpec(secret, "Hmac" + key.algorithm().substring("hmac-".length())
                                .toUpperCase(Locale.ROOT)), clock);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String zone() {
        return config.zone();
    }

    @Override
    public CompletableFuture<Void> write(RecordSet records) {
        Update update;
        try {
            Name name = WireRecords.name(records.hostname());
            update = new Update(WireRecords.name(config.zone()));
            update.delete(name, Type.CNAME);
            update.delete(name, Type.A);
            update.delete(name, Type.AAAA);
            for (Record record : WireRecords.records(records)) {
                update.add(record);
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new DnsProviderException(description, e.getMessage()));
        }
        return Outcomes.settle(send(update).thenAccept(response -> check(response, "update")),
                               e -> failure("update", e));
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        Name name;
        try {
            name = WireRecords.name(hostname);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new DnsProviderException(description, e.getMessage()));
        }
        return Outcomes.settle(read(hostname, name, 0), e -> failure("query", e));
    }

    private CompletableFuture<Optional<RecordSet>> read(String hostname, Name name, int index) {
        if (index == WireRecords.READ_ORDER.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        RecordSet.Type type = WireRecords.READ_ORDER.get(index);
        Message query = Message.newQuery(Record.newRecord(name, WireRecords.type(type), DClass.IN));
        return send(query).thenCompose(response -> {
            if (response.getRcode() != Rcode.NXDOMAIN) {
                check(response, "query");
            }
            Optional<RecordSet> found = WireRecords.recordSet(hostname, type, response.getSection(Section.ANSWER));
            return found.isPresent() ? CompletableFuture.completedFuture(found) : read(hostname, name, index + 1);
        });
    }

    private CompletableFuture<Message> send(Message message) {
        return server().thenCompose(address -> {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(timeout);
            resolver.setTSIGKey(tsig);
            return resolver.sendAsync(message, executor).toCompletableFuture();
        });
    }

    private CompletableFuture<InetSocketAddress> server() {
        InetSocketAddress server = config.server();
        if (!server.isUnresolved()) {
            return CompletableFuture.completedFuture(server);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(server.getHostString()), server.getPort());
            } catch (IOException e) {
                throw new CompletionException(new DnsProviderException(description,
                        "cannot resolve " + server.getHostString() + ": " + e.getMessage(), e));
            }
        }, executor);
    }

    /** Throws unless the server accepted: its RCODE and TSIG error, then the signature of its answer. */
    private void check(Message response, String what) {
        TSIGRecord signature = response.getTSIG();
        int rcode = response.getRcode();
        if (signature != null && signature.getError() != Rcode.NOERROR) {
            throw new DnsProviderException(description, what + " refused: " + Rcode.string(rcode) + " ("
                    + Rcode.TSIGstring(signature.getError()) + ")");
        } else if (rcode != Rcode.NOERROR) {
            throw new DnsProviderException(description, what + " refused: " + Rcode.string(rcode));
        } else if (tsig != null && !response.isVerified()) {
            throw new DnsProviderException(description, what + " answer not signed with key " + config.tsig().name()
                    + (signature == null ? " (unsigned)" : " (signature does not verify)"));
        }
    }

    private DnsProviderException failure(String what, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return new DnsProviderException(description, what + " timed out after " + timeout.toMillis()
                    + " ms (no answer from " + hostPort(config.server()) + ")",
                    cause);
        } else if (cause instanceof PortUnreachableException || cause instanceof ConnectException) {
            return new DnsProviderException(description, what + " failed: nothing answers on "
                    + hostPort(config.server()) + " (" + cause.getClass().getSimpleName() + ")", cause);
        }
        String message = cause.getMessage();
        return new DnsProviderException(description, what + " failed: " + cause.getClass().getSimpleName()
                + (message == null ? "" : ": " + message), cause);
    }
}
