package dev.outlast.config;

import java.util.List;
import java.util.Objects;

/**
 * The operations side of a configuration: {@code monitoring:}, {@code alerts:}, {@code storage:},
 * {@code maintenance:} and {@code admin:}. Every part is optional.
 *
 * @param adminToken the bearer token the admin write API requires; {@code null} disables writes
 */
public record OpsConfig(MonitoringConfig monitoring, AlertsConfig alerts, StorageConfig storage,
                        List<MaintenanceWindow> maintenance, String adminToken) {

    /** What a config file without any of these keys gets. */
    public static final OpsConfig DEFAULT = new OpsConfig(MonitoringConfig.DEFAULT, AlertsConfig.DEFAULT,
            StorageConfig.DEFAULT, List.of(), null);

    /** The defaults, with history in memory: for configurations built in code (tests, the demo). */
    public static final OpsConfig IN_MEMORY = new OpsConfig(MonitoringConfig.DEFAULT, AlertsConfig.DEFAULT,
            StorageConfig.IN_MEMORY, List.of(), null);

    public OpsConfig {
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(storage, "storage");
        maintenance = List.copyOf(maintenance);
    }

    public OpsConfig withMonitoring(MonitoringConfig m) {
        return new OpsConfig(m, alerts, storage, maintenance, adminToken);
    }

    public OpsConfig withAlerts(AlertsConfig a) {
        return new OpsConfig(monitoring, a, storage, maintenance, adminToken);
    }

    public OpsConfig withStorage(StorageConfig s) {
        return new OpsConfig(monitoring, alerts, s, maintenance, adminToken);
    }

    public OpsConfig withMaintenance(List<MaintenanceWindow> m) {
        return new OpsConfig(monitoring, alerts, storage, m, adminToken);
    }

    public OpsConfig withAdminToken(String token) {
        return new OpsConfig(monitoring, alerts, storage, maintenance, token);
    }
}
