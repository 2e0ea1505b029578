package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector and heap {@code bin/outlast} picks ({@code bin/jvm-defaults.sh}), on fake machines: a
 * fake {@code nproc} first on the PATH, and a fake /proc and /sys for the memory and cgroup limits.
 */
class LauncherJvmDefaultsTest {

    private static final Path SCRIPT = Path.of("..", "bin", "jvm-defaults.sh").toAbsolutePath().normalize();
    private static final String SERIAL_256 = "-XX:+UseSerialGC -Xms256m -Xmx256m";

    @TempDir
    Path machine;

    @Test
    void oneOrTwoCpusGetTheSerialCollectorAndAFixed256MiBHeap() throws Exception {
        memory(8L << 30);
        assertThat(defaults(1, Map.of())).isEqualTo(SERIAL_256);
        assertThat(defaults(2, Map.of())).isEqualTo(SERIAL_256);
    }

    @Test
    void moreCpusKeepTheJvmsOwnChoice() throws Exception {
        memory(8L << 30);
        assertThat(defaults(3, Map.of())).isEmpty();
        assertThat(defaults(16, Map.of())).isEmpty();
    }

    @Test
    void aCgroupCpuQuotaCountsAsTheJvmCountsIt() throws Exception {
        memory(8L << 30);
        cgroupV2("/outlast.service", "150000 100000", "max");
        assertThat(defaults(16, Map.of())).as("1.5 CPUs round up to 2").isEqualTo(SERIAL_256);
        cgroupV2("/outlast.service", "300000 100000", "max");
        assertThat(defaults(16, Map.of())).isEmpty();
    }

    @Test
    void aQuotaOnAParentGroupCountsToo() throws Exception {
        memory(8L << 30);
        cgroupV2("/system.slice/outlast.service", "max 100000", "max");
        write("sys/fs/cgroup/system.slice/cpu.max", "100000 100000");
        assertThat(defaults(16, Map.of())).isEqualTo(SERIAL_256);
    }

    @Test
    void aCgroupV1QuotaCountsToo() throws Exception {
        memory(8L << 30);
        write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "200000");
        write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000");
        assertThat(defaults(8, Map.of())).isEqualTo(SERIAL_256);
        write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1");
        assertThat(defaults(8, Map.of())).isEmpty();
    }

    @Test
    void onASmallMachineTheHeapIsAQuarterOfTheMemory() throws Exception {
        memory(512L << 20);
        assertThat(defaults(1, Map.of())).isEqualTo("-XX:+UseSerialGC -Xms128m -Xmx128m");
        memory(8L << 30);
        cgroupV2("/", "max 100000", String.valueOf(768L << 20));
        assertThat(defaults(2, Map.of())).isEqualTo("-XX:+UseSerialGC -Xms192m -Xmx192m");
    }

    @Test
    void aCollectorOrHeapChosenByTheUserWinsWhole() throws Exception {
        memory(8L << 30);
        for (String chosen : List.of("-XX:+UseG1GC", "-XX:+UseZGC", "-Xmx1g", "-Xms512m", "-XX:MaxRAMPercentage=50",
                "-XX:MaxHeapSize=1g")) {
            assertThat(defaults(2, Map.of("OUTLAST_JAVA_OPTS", "-Dx=1 " + chosen))).as(chosen).isEmpty();
        }
        assertThat(defaults(2, Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseParallelGC"))).isEmpty();
        assertThat(defaults(2, Map.of("JDK_JAVA_OPTIONS", "-Xmx2g"))).isEmpty();
        assertThat(defaults(2, Map.of("OUTLAST_JAVA_OPTS", "-Dio.netty.leakDetection.level=simple -XX:+UseNUMA")))
                .as("options that choose neither").isEqualTo(SERIAL_256);
    }

    @Test
    void theJvmAcceptsTheChoiceAndRunsTheSerialCollector() throws Exception {
        memory(8L << 30);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of(defaults(2, Map.of()).split(" ")));
        command.addAll(List.of("-Xlog:gc:stdout", "-Xlog:gc+init:stdout", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).contains("Using Serial").contains("Heap Max Capacity: 256M");
    }

    /** What {@code outlast_jvm_defaults} prints on the fake machine with {@code cpus} CPUs and {@code env}. */
    private String defaults(int cpus, Map<String, String> env) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(machine.resolve("bin"));
        Path nproc = write("bin/nproc", "#!/bin/sh\necho " + cpus + "\n");
        assertThat(nproc.toFile().setExecutable(true)).isTrue();
        ProcessBuilder shell = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; . \"$1\"; outlast_jvm_defaults \"$2\"",
                "bash", SCRIPT.toString(), machine.toString());
        Map<String, String> environment = shell.environment();
        environment.keySet().removeAll(List.of("OUTLAST_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
        environment.putAll(env);
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = shell.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(err).isEmpty();
        return out;
    }

    private void memory(long bytes) throws IOException {
        write("proc/meminfo", "MemTotal:       " + (bytes >> 10) + " kB\nMemFree:        1024 kB\n");
    }

    /** This process in cgroup v2 group {@code group}, with its {@code cpu.max} and {@code memory.max}. */
    private void cgroupV2(String group, String cpuMax, String memoryMax) throws IOException {
        write("proc/self/cgroup", "0::" + group + "\n");
        String dir = "sys/fs/cgroup" + (group.equals("/") ? "" : group);
        write(dir + "/cpu.max", cpuMax + "\n");
        write(dir + "/memory.max", memoryMax + "\n");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = machine.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
