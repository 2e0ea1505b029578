package dev.outlast.config.internal;

import dev.outlast.config.AlertsConfig;
import dev.outlast.config.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Binds {@code alerts}, {@code storage} and {@code admin}. */
final class OpsBinder {

    private OpsBinder() {
    }

    static Optional<AlertsConfig> alerts(Node node) {
        Optional<Mapping> mapping = node.mapping(List.of("webhooks", "maxAttempts", "backoff"), "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        List<AlertsConfig.Webhook> hooks = new ArrayList<>();
        int maxAttempts = AlertsConfig.DEFAULT_MAX_ATTEMPTS;
        Duration backoff = AlertsConfig.DEFAULT_BACKOFF;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "webhooks" -> {
                    Uniques names = new Uniques("unique among webhooks");
                    for (Node element : value.list("a list of webhooks").orElse(List.of())) {
                        webhook(element, names).ifPresent(hooks::add);
                    }
                }
                case "maxAttempts" -> maxAttempts = value.integer(1, 20, "an integer >= 1").map(Long::intValue)
                        .orElse(maxAttempts);
                case "backoff" -> backoff = value.duration(true).orElse(backoff);
                default -> throw new AssertionError(value.key());
            }
        }
        return node.problems().errorCount() > errors ? Optional.empty()
                : Optional.of(new AlertsConfig(hooks, maxAttempts, backoff));
    }

    private static Optional<AlertsConfig.Webhook> webhook(Node node, Uniques names) {
        Optional<Mapping> mapping = node.mapping(List.of("name", "url", "format"),
                "a webhook, a mapping with name, url and format");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        String name = null;
        java.net.URI url = null;
        AlertsConfig.Format format = AlertsConfig.Format.JSON;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.text("a name")
                        .filter(n -> names.first(node, value, n))
                        .orElse(null);
                case "url" -> url = value.as(Values.URL, Values::url).orElse(null);
                case "format" -> format = value.as("json or slack", t -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "json" -> AlertsConfig.Format.JSON;
                    case "slack" -> AlertsConfig.Format.SLACK;
                    default -> throw new BadValue("json or slack");
                }).orElse(format);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("name", "a name");
        mapping.get().require("url", Values.URL);
        return name == null || url == null ? Optional.empty() : Optional.of(new AlertsConfig.Webhook(name, url, format));
    }

    static Optional<StorageConfig> storage(Node node) {
        Optional<Mapping> mapping = node.mapping(List.of("sqlite", "postgres"), "a mapping with sqlite or postgres");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        Path sqlite = Path.of(StorageConfig.DEFAULT_SQLITE_PATH);
        String url = null;
        String user = null;
        String password = null;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "sqlite" -> {
                    Optional<Mapping> file = value.mapping(List.of("path"), "a mapping with path");
                    if (file.isPresent()) {
                        for (Node v : file.get()) {
                            sqlite = v.text("a file path").map(Path::of).orElse(sqlite);
                        }
                    }
                }
                case "postgres" -> {
                    Optional<Mapping> pg = value.mapping(List.of("url", "user", "password"),
                            "a mapping with url, user and password");
                    if (pg.isEmpty()) {
                        continue;
                    }
                    for (Node v : pg.get()) {
                        switch (v.key()) {
                            case "url" -> url = v.as("a jdbc:postgresql://host:port/database URL", t -> {
                                if (!t.startsWith("jdbc:postgresql://")) {
                                    throw new BadValue("a jdbc:postgresql://host:port/database URL");
                                }
                                return t;
                            }).orElse(null);
                            case "user" -> user = v.text("a user name").orElse(null);
                            case "password" -> password = v.text("a password").orElse(null);
                            default -> throw new AssertionError(v.key());
                        }
                    }
                    pg.get().require("url", "a jdbc:postgresql://host:port/database URL");
                }
                default -> throw new AssertionError(value.key());
            }
        }
        if (mapping.get().has("sqlite") && mapping.get().has("postgres")) {
            node.error("both sqlite and postgres (expected: one of them)");
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(url != null ? StorageConfig.postgres(url, user, password) : StorageConfig.sqlite(sqlite));
    }

    static Optional<String> adminToken(Node node) {
        Optional<Mapping> mapping = node.mapping(List.of("token"), "a mapping with token");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        String token = null;
        for (Node value : mapping.get()) {
            token = value.text("a token of at least 16 characters").orElse(null);
            if (token != null && token.length() < 16) {
                value.error("a token shorter than 16 characters (expected: at least 16, e.g. from ${OUTLAST_ADMIN_TOKEN})");
                token = null;
            }
        }
        return Optional.ofNullable(token);
    }
}
