package io.baystack.api;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies as strict as Magnum's: where a {@link Checked} request type declares a string, only a
 * JSON string (or null) is taken; Jackson would otherwise store {@code 1e308} or {@code true} as text.
 * Other types (Heat's and Keystone's payloads) keep Jackson's default coercion.
 */
public final class StrictStrings {

    private StrictStrings() {
    }

    /** Marks a request body type whose string properties take JSON strings only. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Checked {
    }

    /** A value of the wrong JSON type: the message names the field (from the path), the value and the type expected. */
    public static final class WrongType extends MismatchedInputException {
        private final String value;
        private final String expected;

        WrongType(JsonParser p, String value, String expected) {
            super(p, "Wrong type. Expected '" + expected + "'.", String.class);
            this.value = value;
            this.expected = expected;
        }

        public String value() {
            return value;
        }

        public String expected() {
            return expected;
        }
    }

    /** Registers the deserializer with the application's ObjectMapper (REST bodies and clients alike). */
    @Singleton
    public static class Customizer implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.registerModule(new SimpleModule("baystack-strict-strings")
                    .addDeserializer(String.class, new Deserializer(false)));
        }
    }

    /** Jackson's own string deserializer, except for the direct string properties of a {@link Checked} type. */
    static final class Deserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {

        private final boolean strict;

        Deserializer(boolean strict) {
            super(String.class);
            this.strict = strict;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean checked = property != null && property.getType().hasRawClass(String.class)
                    && property.getMember() != null
                    && property.getMember().getDeclaringClass().isAnnotationPresent(Checked.class);
            return checked == strict ? this : new Deserializer(checked);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!strict || p.hasToken(JsonToken.VALUE_STRING)) {
                return StringDeserializer.instance.deserialize(p, ctxt);
            }
            String shown = p.isExpectedStartArrayToken() || p.isExpectedStartObjectToken()
                    ? ctxt.readTree(p).toString() : p.getText();
            throw new WrongType(p, shown, "string");
        }
    }
}
