package dev.outlast.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code host:port} given on the command line ({@code [::1]:8080} for IPv6), resolved at parse
 * time. Immutable.
 */
public record ListenAddress(String host, InetSocketAddress address) {

    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)]:(\\d{1,5})");
    private static final Pattern PLAIN = Pattern.compile("([A-Za-z0-9.-]+):(\\d{1,5})");

    /** {@link #parse} for a command's option: a bad value is a usage error (exit 2) with the same message. */
    public static ListenAddress parseOption(picocli.CommandLine.Model.CommandSpec spec, String option, String text) {
        try {
            return parse(option, text);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Parses {@code text}; the message of the {@link IllegalArgumentException} follows the project's
     * format, e.g. {@code --listen: "localhost" (expected: host:port)}.
     */
    static ListenAddress parse(String option, String text) {
        Matcher m = BRACKETED.matcher(text);
        if (!m.matches()) {
            m = PLAIN.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException(option + ": \"" + text + "\" (expected: host:port)");
            }
        }
        int port = Integer.parseInt(m.group(2));
        if (port > 65535) {
            throw new IllegalArgumentException(option + ": \"" + text + "\" (expected: host:port with a port in "
                                               + "0..65535)");
        }
        try {
            return new ListenAddress(m.group(1), new InetSocketAddress(InetAddress.getByName(m.group(1)), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": \"" + text + "\" (expected: host:port with a known "
                                               + "host)", e);
        }
    }

    /** The host as written in a URL: IPv6 literals in brackets. */
    String hostForUrl() {
        return host.indexOf(':') >= 0 ? '[' + host + ']' : host;
    }

    /** {@code http://host:port} for {@code port}, the port actually bound (when 0 was asked). */
    public String url(int port) {
        return "http://" + hostForUrl() + ':' + port;
    }
}
