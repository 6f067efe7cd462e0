package io.baystack.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that takes a shared local service away (HeatOutageTest stops the real Heat): surefire runs
 * it last and alone (pom.xml, execution {@code exclusive-test}), once the JVMs that run beside each other
 * are done, so no other test's bay sees the outage. Same as {@code @Tag("exclusive")}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("exclusive")
public @interface ExclusiveTier {
}
