package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The drill module's commands reach {@code outlast} through {@link SubcommandProvider}, in their place. */
class SubcommandOrderTest {

    private static final Pattern COMMAND = Pattern.compile("^  (\\w+) {2,}", Pattern.MULTILINE);

    @Test
    void helpListsServeValidateThenTheDrillModulesCommandsThenHelp() {
        StringWriter out = new StringWriter();

        int exit = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of(), "--help");

        assertThat(exit).isZero();
        String help = out.toString();
        String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
        List<String> names = new ArrayList<>();
        Matcher m = COMMAND.matcher(commands);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).containsExactly("serve", "validate", "demo", "drill", "help");
    }
}
