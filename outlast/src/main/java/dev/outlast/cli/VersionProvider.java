package dev.outlast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code outlast VERSION}, the version Maven wrote into {@code /dev/outlast/version.properties}. */
final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "/dev/outlast/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"outlast " + version()};
    }

    /** The build's version, or {@code unknown} when the resource is missing. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
