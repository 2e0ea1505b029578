package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsConfigTest {

    private static final String CHAINS = """
            chains:
              - id: devnet
                chainId: 1337
                upstreams:
                  - name: alpha
                    url: http://127.0.0.1:8545
            """;

    @Test
    void everyPartIsOptionalWithDefaults() {
        OutlastConfig config = ConfigLoader.parse(CHAINS, Map.of(), "c.yaml");
        assertThat(config.ops()).isEqualTo(OpsConfig.DEFAULT);
        assertThat(config.ops().storage().jdbcUrl()).isEqualTo("jdbc:sqlite:outlast-history.db");
        assertThat(config.ops().monitoring().retention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.ops().adminToken()).isNull();
    }

    @Test
    void bindsMonitoringProbesAlertsStorageMaintenanceAndAdmin() {
        OutlastConfig config = ConfigLoader.parse(CHAINS + """
                monitoring:
                  openAfterFailures: 2
                  resolveAfterSuccesses: 4
                  slo: 99.9%
                  burnRate: 6
                  shortWindow: 30s
                  longWindow: 10m
                  groupWait: 0s
                  retentionDays: 30
                  probes:
                    - name: api
                      type: http
                      url: https://api.example.com/health
                      maxLatency: 2s
                      headers: {content-type: json}
                      conditions:
                        - path: /status
                          equals: ok
                    - name: head
                      type: jsonrpc
                      url: https://rpc.example.com/v3/${KEY}
                      method: eth_getBlockByNumber
                      params: [latest, false]
                      conditions:
                        - path: result.timestamp
                          ageBelow: 60s
                    - name: db
                      type: tcp
                      host: db.internal
                      port: 5432
                alerts:
                  backoff: 200ms
                  webhooks:
                    - name: ops
                      url: https://hooks.example.com/outlast
                    - name: slack
                      url: https://hooks.slack.com/services/T/B/X
                      format: slack
                storage:
                  postgres:
                    url: jdbc:postgresql://db:5432/outlast
                    user: outlast
                    password: ${PG_PASSWORD}
                maintenance:
                  - name: alpha upgrade
                    subject: devnet/alpha
                    start: 2026-12-01T02:00
                    end: 2026-12-01T04:00
                    timeZone: Europe/Berlin
                  - name: cloudflare weekly
                    vendor: cloudflare
                    days: [sat, sunday]
                    from: "23:00"
                    to: "01:00"
                admin:
                  token: ${ADMIN_TOKEN}
                """, Map.of("KEY", "k", "PG_PASSWORD", "pw", "ADMIN_TOKEN", "0123456789abcdef0123"), "c.yaml");
        OpsConfig ops = config.ops();
        MonitoringConfig m = ops.monitoring();
        assertThat(m.openAfterFailures()).isEqualTo(2);
        assertThat(m.slo()).isEqualTo(0.999, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.shortWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.groupWait()).isZero();
        assertThat(m.probes()).extracting(ProbeConfig::type)
                .containsExactly(ProbeConfig.Type.HTTP, ProbeConfig.Type.JSONRPC, ProbeConfig.Type.TCP);
        assertThat(m.probes().get(0).headers()).containsEntry("content-type", "json");
        assertThat(m.probes().get(1).params()).isEqualTo("[\"latest\",false]");
        assertThat(m.probes().get(1).conditions()).containsExactly(
                new ProbeConfig.Condition("result.timestamp", ProbeConfig.Op.AGE_BELOW, "60000"));
        assertThat(ops.alerts().webhooks()).extracting(AlertsConfig.Webhook::format)
                .containsExactly(AlertsConfig.Format.JSON, AlertsConfig.Format.SLACK);
        assertThat(ops.alerts().webhooks().get(1).url()).isEqualTo(URI.create("https://hooks.slack.com/services/T/B/X"));
        assertThat(ops.storage()).isEqualTo(StorageConfig.postgres("jdbc:postgresql://db:5432/outlast", "outlast", "pw"));
        MaintenanceWindow upgrade = ops.maintenance().get(0);
        assertThat(upgrade.start()).isEqualTo(LocalDateTime.parse("2026-12-01T02:00"));
        assertThat(upgrade.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(upgrade.activeAt(Instant.parse("2026-12-01T01:30:00Z"))).isTrue();
        assertThat(upgrade.activeAt(Instant.parse("2026-12-01T03:30:00Z"))).isFalse();
        assertThat(upgrade.drainsAt(Instant.parse("2026-12-01T00:59:00Z"))).isTrue();
        assertThat(upgrade.drainsAt(Instant.parse("2026-12-01T00:57:00Z"))).isFalse();
        MaintenanceWindow weekly = ops.maintenance().get(1);
        assertThat(weekly.days()).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        // Saturday 2026-11-28 23:00 UTC to Sunday 01:00, and Sunday 23:00 to Monday 01:00.
        assertThat(weekly.activeAt(Instant.parse("2026-11-29T00:30:00Z"))).isTrue();
        assertThat(weekly.activeAt(Instant.parse("2026-11-30T00:30:00Z"))).isTrue();
        assertThat(weekly.activeAt(Instant.parse("2026-11-30T01:30:00Z"))).isFalse();
        assertThat(weekly.covers("devnet/beta", "cloudflare")).isTrue();
        assertThat(ops.adminToken()).isEqualTo("0123456789abcdef0123");
    }

    @Test
    void sqlitePathIsConfigurable() {
        OutlastConfig config = ConfigLoader.parse(CHAINS + "storage:\n  sqlite:\n    path: /var/lib/outlast/h.db\n",
                Map.of(), "c.yaml");
        assertThat(config.ops().storage()).isEqualTo(StorageConfig.sqlite(Path.of("/var/lib/outlast/h.db")));
    }

    @Test
    void reportsEveryBadValueWithItsPath() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(CHAINS + """
                monitoring:
                  openAfterFailures: 0
                  slo: 120%
                  shortWindow: 2h
                  probes:
                    - name: api
                      type: smtp
                    - name: rpc
                      type: jsonrpc
                      url: ftp://x
                      conditions:
                        - path: result
                          equals: 1
                          lessThan: 2
                alerts:
                  webhooks:
                    - name: ops
                      url: nope
                      format: teams
                storage:
                  postgres:
                    url: postgres://db/outlast
                maintenance:
                  - name: window
                    subject: devnet/alpha
                    vendor: cloudflare
                    start: tomorrow
                    end: 2026-12-01T04:00
                    timeZone: Mars/Olympus
                admin:
                  token: short
                  user: me
                """, Map.of(), "c.yaml"));
        assertThat(e.problems()).map(ConfigProblem::toString).containsExactly(
                "monitoring.openAfterFailures: 0 (expected: an integer >= 1)",
                "monitoring.slo: \"120%\" (expected: a ratio between 0 and 1 such as 0.999, or a percentage such as 99.9%)",
                "monitoring.probes[0].type: \"smtp\" (expected: http, jsonrpc, tcp, tls or dns)",
                "monitoring.probes[1].url: \"ftp://x\" (expected: http or https URL)",
                "monitoring.probes[1].conditions[0]: a mapping (expected: exactly one of equals, notEquals, contains, "
                        + "lessThan, greaterThan, ageBelow, exists)",
                "monitoring.probes[1].method: missing (expected: a JSON-RPC method name)",
                "monitoring.shortWindow: 2h (expected: at most longWindow, 1h)",
                "alerts.webhooks[0].url: \"nope\" (expected: http or https URL)",
                "alerts.webhooks[0].format: \"teams\" (expected: json or slack)",
                "storage.postgres.url: \"postgres://db/outlast\" (expected: a jdbc:postgresql://host:port/database URL)",
                "maintenance[0].start: \"tomorrow\" (expected: a local date-time such as 2026-12-01T02:00)",
                "maintenance[0].timeZone: \"Mars/Olympus\" (expected: a time zone such as Europe/Berlin or UTC)",
                "maintenance[0]: needs exactly one of subject and vendor",
                "admin.token: a token shorter than 16 characters (expected: at least 16, e.g. from ${OUTLAST_ADMIN_TOKEN})",
                "admin.user: unknown key (expected one of: token)");
    }
}
