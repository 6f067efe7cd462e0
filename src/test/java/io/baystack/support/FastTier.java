package io.baystack.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class of the fast tier: plain unit tests and Quarkus tests that need PostgreSQL and Keystone
 * but never Heat. Surefire runs this tier first (pom.xml, execution {@code default-test}) with no
 * hand-off and no reconciler round, so a class here that needed Heat fails; a failure stops the build
 * before the slow tier. Same as {@code @Tag("fast")}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("fast")
public @interface FastTier {
}
