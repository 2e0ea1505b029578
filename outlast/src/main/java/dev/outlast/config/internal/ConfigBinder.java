package dev.outlast.config.internal;

import dev.outlast.config.CacheConfig;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.SiteConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a whole configuration file: the YAML text to an {@link OutlastConfig}.
 *
 * <p>Each binder reads its mapping in file order, records every problem it finds at its path and
 * goes on, so one pass finds them all. A record is only constructed from values already checked;
 * its own checks are a last resort.
 */
public final class ConfigBinder {

    private static final List<String> KEYS = List.of("server", "chains", "sites", "frontDoors", "cache", "monitoring",
            "alerts", "storage", "maintenance", "admin");

    private ConfigBinder() {
    }

    /**
     * Binds {@code yaml}, interpolating from {@code env}.
     *
     * @return the configuration, or {@code null} when {@code problems} received an error
     */
    public static OutlastConfig bind(String yaml, Map<String, String> env, Problems problems) {
        int errors = problems.errorCount();
        Optional<Node> root = YamlReader.document(yaml, env, problems);
        if (root.isEmpty()) {
            return null;
        }
        Optional<Mapping> mapping = root.get().mapping(KEYS, "a mapping with server, chains, sites and frontDoors");
        if (mapping.isEmpty()) {
            return null;
        }
        ServerConfig server = ServerConfig.of(ServerConfig.DEFAULT_HOST, ServerConfig.DEFAULT_PORT);
        List<ChainConfig> chains = List.of();
        List<SiteConfig> sites = List.of();
        List<FrontDoorConfig> frontDoors = List.of();
        CacheConfig cache = CacheConfig.DEFAULT;
        OpsConfig ops = OpsConfig.DEFAULT;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "server" -> server = ServerBinder.bind(value).orElse(server);
                case "chains" -> chains = ChainBinder.bindAll(value).orElse(chains);
                case "sites" -> sites = SiteBinder.bindAll(value).orElse(sites);
                case "frontDoors" -> frontDoors = FrontDoorBinder.bindAll(value).orElse(frontDoors);
                case "cache" -> cache = CacheBinder.bind(value).orElse(cache);
                case "monitoring" -> ops = ops.withMonitoring(MonitoringBinder.bind(value).orElse(ops.monitoring()));
                case "alerts" -> ops = ops.withAlerts(OpsBinder.alerts(value).orElse(ops.alerts()));
                case "storage" -> ops = ops.withStorage(OpsBinder.storage(value).orElse(ops.storage()));
                case "maintenance" -> ops = ops.withMaintenance(MaintenanceBinder.bindAll(value).orElse(List.of()));
                case "admin" -> ops = ops.withAdminToken(OpsBinder.adminToken(value).orElse(null));
                default -> throw new AssertionError(value.key());
            }
        }
        if (!mapping.get().has("sites") && !mapping.get().has("frontDoors")) {
            mapping.get().require("chains", ChainBinder.CHAINS + ", unless sites or frontDoors are configured");
        }
        return problems.errorCount() > errors ? null
                : new OutlastConfig(server, chains, sites, cache, ops, frontDoors);
    }
}
