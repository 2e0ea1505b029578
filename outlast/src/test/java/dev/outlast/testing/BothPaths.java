package dev.outlast.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every test of a class twice, once per {@link ServerPath}, named "fast path" and "Armeria
 * path". The class takes the path as a {@code @Parameter ServerPath} field (or a constructor or
 * {@code @BeforeParameterizedClassInvocation} parameter) and builds its server with it, e.g.
 * {@code TestGateway.start(path, upstreams)}; the assertions are the same for both. A class whose
 * tests share one server declares the field too and starts the server in a static
 * {@code @BeforeParameterizedClassInvocation} method taking the path. Surefire lists a failure by
 * method name: its "Run 1" is the fast path, "Run 2" the Armeria path. {@code ServerPathTest}
 * checks that each run's server answers on its path.
 *
 * <p>For tests that reach Outlast over HTTP: a class whose tests drive a chain directly (such as
 * with {@code FakeClockChain}) would run the same test twice.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedClass(name = "{0}")
@EnumSource(ServerPath.class)
public @interface BothPaths {
}
