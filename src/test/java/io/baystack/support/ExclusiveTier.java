package io.baystack.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that takes a shared local service away (HeatOutageTest stops the real Heat): surefire runs
 * it in a JVM of its own (pom.xml, execution {@code exclusive-test}; its own test database
 * baystack_exclusive), beside nothing but the fast tier, which needs no Heat (Makefile), so no other
 * test's bay sees the outage. Same as {@code @Tag("exclusive")}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("exclusive")
public @interface ExclusiveTier {
}
