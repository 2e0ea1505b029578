package dev.outlast.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} in a string scalar from an environment; {@code $${} stands for a literal
 * {@code ${}. There are no defaults and no nesting: a variable is set or it is a problem.
 *
 * @param value     the expanded text; meaningful only when {@link #ok()}
 * @param unset     names of variables referenced but not set, in order of appearance
 * @param malformed whether a {@code ${} is unterminated or holds an invalid name
 */
record Interpolation(String value, List<String> unset, boolean malformed) {

    static final String EXPECTED = "${NAME} with NAME of letters, digits and _, or $${ for a literal ${";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    boolean ok() {
        return unset.isEmpty() && !malformed;
    }

    static Interpolation expand(String raw, Map<String, String> env) {
        if (!raw.contains("${")) {
            return new Interpolation(raw, List.of(), false);
        }
        StringBuilder out = new StringBuilder(raw.length());
        List<String> unset = new ArrayList<>();
        boolean malformed = false;
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (raw.startsWith("${", i)) {
                int close = raw.indexOf('}', i + 2);
                String name = close < 0 ? "" : raw.substring(i + 2, close);
                if (!NAME.matcher(name).matches()) {
                    malformed = true;
                    break;
                }
                String value = env.get(name);
                if (value == null) {
                    if (!unset.contains(name)) {
                        unset.add(name);
                    }
                } else {
                    out.append(value);
                }
                i = close + 1;
            } else {
                out.append(raw.charAt(i++));
            }
        }
        return new Interpolation(out.toString(), List.copyOf(unset), malformed);
    }
}
