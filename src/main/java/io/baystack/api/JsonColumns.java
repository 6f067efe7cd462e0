package io.baystack.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small JSON-in-a-text-column converters (labels, address lists): portable and native-friendly. */
public final class JsonColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumns() {
    }

    @Converter
    public static class StringMap implements AttributeConverter<Map<String, String>, String> {
        @Override
        public String convertToDatabaseColumn(Map<String, String> value) {
            return write(value == null ? Map.of() : new TreeMap<>(value));
        }

        @Override
        public Map<String, String> convertToEntityAttribute(String column) {
            return read(column, new TypeReference<Map<String, String>>() {
            }, Map.of());
        }
    }

    @Converter
    public static class StringList implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return write(value == null ? List.of() : value);
        }

        @Override
        public List<String> convertToEntityAttribute(String column) {
            return read(column, new TypeReference<List<String>>() {
            }, List.of());
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String column, TypeReference<T> type, T empty) {
        if (column == null || column.isBlank()) {
            return empty;
        }
        try {
            return JSON.readValue(column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column", e);
        }
    }
}
