package dev.outlast.frontdoor.dns;

import dev.outlast.config.DnsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * Writes a front door's record to an Amazon Route 53 hosted zone with the AWS SDK, and reads it back with
 * the same API.
 *
 * <p>A write lists the name's record sets ({@code ListResourceRecordSets} from the name), then sends one
 * {@code ChangeResourceRecordSets} batch, which Route 53 applies whole or not at all: a {@code DELETE} of each
 * {@code CNAME}, {@code A} or {@code AAAA} set of another type than the one written (exactly as listed, alias
 * sets included: a CNAME cannot sit beside addresses), then an {@code UPSERT} of the new set. Nothing is sent
 * when the set is already there. Names with weighted, latency or other routing-policy sets are refused by
 * Route 53 ({@code InvalidChangeBatch}), in its words. A read returns the name's {@code CNAME}, else {@code A},
 * else {@code AAAA} set; an alias set reads as its target's DNS name, with a 60-second TTL.
 *
 * <p>Credentials come from the SDK's default chain (environment, system properties, profile files, container
 * and instance roles) unless given. The SDK's calls block, so they run on {@code executor}; the SDK does not
 * retry (the caller does). Errors carry the HTTP status, AWS's message and error code ({@code AccessDenied},
 * {@code InvalidChangeBatch}, {@code NoSuchHostedZone}, ...). Thread-safe.
 */
public final class Route53Provider implements DnsProvider {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration ALIAS_TTL = Duration.ofSeconds(60);

    private static final int MAX_PAGES = 10;

    private final DnsConfig.Route53 config;
    private final Executor executor;
    private final Route53Client client;
    private final String description;

    /** With the SDK's default credentials chain. */
    public Route53Provider(DnsConfig.Route53 config, Executor executor, Duration timeout) {
        this(config, executor, timeout, DefaultCredentialsProvider.builder().build());
    }

    public Route53Provider(DnsConfig.Route53 config, Executor executor, Duration timeout,
                           AwsCredentialsProvider credentials) {
        this.config = config;
        this.executor = executor;
        this.description = "route53 hosted zone " + config.hostedZoneId() + " (" + config.zone() + ")"
                           + (config.endpoint() == null ? "" : " at " + config.endpoint().getHost());
        Route53ClientBuilder builder = Route53Client.builder()
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        this.client = builder.build();
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
        return call("ChangeResourceRecordSets", () -> {
            String name = WireRecords.hostname(records.hostname());
            List<String> values = records.values().stream().map(v -> WireRecords.canonical(records.type(), v))
                    .sorted().toList();
            List<Change> changes = changes(name, records.type(), values, records.ttl(), list(name));
            if (!changes.isEmpty()) {
                client.changeResourceRecordSets(r -> r.hostedZoneId(config.hostedZoneId()).changeBatch(b -> b
                        .comment("outlast front door: " + name + " " + records.type() + " " + String.join(" ", values))
                        .changes(changes)));
            }
            return null;
        });
    }

    /** The changes that leave {@code values} of {@code type} as the name's only steered set; none if already so. */
    static List<Change> changes(String name, RecordSet.Type type, List<String> values, Duration ttl,
                                List<ResourceRecordSet> existing) {
        List<Change> changes = new ArrayList<>();
        boolean current = false;
        for (ResourceRecordSet set : existing) {
            Optional<RecordSet> read = recordSet(name, set);
            if (read.isEmpty()) {
                continue;
            }
            if (read.get().type() != type) {
                changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(set).build());
            } else {
                current = set.aliasTarget() == null && set.setIdentifier() == null
                          && read.get().values().equals(values) && read.get().ttl().equals(ttl);
            }
        }
        if (current && changes.isEmpty()) {
            return List.of();
        }
        changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(s -> s
                .name(name + ".").type(type.name()).ttl(ttl.toSeconds())
                .resourceRecords(values.stream().map(v -> ResourceRecord.builder().value(v).build()).toList()))
                .build());
        return changes;
    }

    @Override
    public CompletableFuture<Optional<RecordSet>> read(String hostname) {
        return call("ListResourceRecordSets", () -> {
            String name = WireRecords.hostname(hostname);
            List<ResourceRecordSet> sets = list(name);
            for (RecordSet.Type type : WireRecords.READ_ORDER) {
                for (ResourceRecordSet set : sets) {
                    Optional<RecordSet> read = recordSet(name, set);
                    if (read.isPresent() && read.get().type() == type) {
                        return read;
                    }
                }
            }
            return Optional.<RecordSet>empty();
        });
    }

    /** The name's record sets, from the first one on (Route 53 lists by name, then type). */
    private List<ResourceRecordSet> list(String name) {
        List<ResourceRecordSet> sets = new ArrayList<>();
        String startName = name + ".";
        String startType = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String type = startType;
            String start = startName;
            ListResourceRecordSetsResponse response = client.listResourceRecordSets(r -> r
                    .hostedZoneId(config.hostedZoneId()).startRecordName(start).startRecordType(type).maxItems("100"));
            boolean past = false;
            for (ResourceRecordSet set : response.resourceRecordSets()) {
                if (WireRecords.hostname(set.name()).equals(name)) {
                    sets.add(set);
                } else {
                    past = true;
                }
            }
            if (past || !Boolean.TRUE.equals(response.isTruncated())) {
                break;
            }
            startName = response.nextRecordName();
            startType = response.nextRecordTypeAsString();
        }
        return sets;
    }

    /** {@code set} as a record set of {@code name}, when it is a CNAME, A or AAAA set of that name. */
    private static Optional<RecordSet> recordSet(String name, ResourceRecordSet set) {
        RecordSet.Type type;
        try {
            type = RecordSet.Type.valueOf(set.typeAsString());
        } catch (IllegalArgumentException | NullPointerException other) {
            return Optional.empty();
        }
        if (!WireRecords.hostname(set.name()).equals(name)) {
            return Optional.empty();
        }
        if (set.aliasTarget() != null) {
            return Optional.of(new RecordSet(name, type, List.of(WireRecords.hostname(set.aliasTarget().dnsName())),
                                             ALIAS_TTL));
        }
        List<String> values = new ArrayList<>();
        for (ResourceRecord record : set.resourceRecords()) {
            try {
                values.add(WireRecords.canonical(type, record.value()));
            } catch (IllegalArgumentException e) {
                values.add(record.value());
            }
        }
        values.sort(null);
        long ttl = set.ttl() == null ? ALIAS_TTL.toSeconds() : Math.max(1, set.ttl());
        return values.isEmpty() ? Optional.empty() : Optional.of(new RecordSet(name, type, values,
                                                                               Duration.ofSeconds(ttl)));
    }

    private interface Call<T> {
        T run();
    }

    private <T> CompletableFuture<T> call(String operation, Call<T> call) {
        return Outcomes.settle(CompletableFuture.supplyAsync(call::run, executor), e -> failure(operation, e));
    }

    private DnsProviderException failure(String operation, Throwable e) {
        if (e instanceof InvalidChangeBatchException batch && batch.hasMessages() && !batch.messages().isEmpty()) {
            return new DnsProviderException(description, "HTTP " + batch.statusCode() + ": "
                    + String.join("; ", batch.messages()) + " (InvalidChangeBatch)", e);
        } else if (e instanceof Route53Exception aws && aws.awsErrorDetails() != null) {
            AwsErrorDetails details = aws.awsErrorDetails();
            String code = details.errorCode();
            String message = details.errorMessage();
            if (code == null || message == null) {
                Route53ErrorBody body = Route53ErrorBody.parse(details.rawResponse());
                code = code == null ? body.code() : code;
                message = message == null ? body.message() : message;
            }
            return new DnsProviderException(description, "HTTP " + aws.statusCode() + ": " + message + " (" + code + ")",
                                            e);
        } else if (e instanceof IllegalArgumentException bad) {
            return new DnsProviderException(description, bad.getMessage(), e);
        } else if (e instanceof SdkClientException client) {
            return new DnsProviderException(description, operation + " failed: " + client.getMessage(), e);
        }
        return new DnsProviderException(description, operation + " failed: " + e, e);
    }

    @Override
    public void close() {
        client.close();
    }
}
