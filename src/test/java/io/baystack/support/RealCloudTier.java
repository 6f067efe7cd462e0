package io.baystack.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class whose bays the real local Nova, Neutron and Cinder build (profile {@link RealCloud}). Surefire
 * runs these (pom.xml, execution {@code real-test}) in a JVM of their own, beside the rest of the slow tier:
 * both mostly wait on Heat. That JVM has its own test database (BAYSTACK_TEST_DB, see Makefile), so neither
 * JVM's Flyway clean or leftover reaper touches the other's bays. Same as {@code @Tag("realcloud")}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("realcloud")
public @interface RealCloudTier {
}
