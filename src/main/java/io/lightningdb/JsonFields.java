package io.lightningdb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object's fields with scalar values, read with Jackson's streaming parser: every open
 * reads and writes the remembered configuration, and the streaming layer loads in a fraction of
 * the time the object mapper takes in a fresh JVM (what a short command-line run pays).
 */
final class JsonFields {
    /** Duplicate fields are an error, not a silent last-one-wins. */
    static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A field's value: its token, and its text for scalars. */
    record Value(JsonToken token, String text) {
        boolean isTextual() {
            return token == JsonToken.VALUE_STRING;
        }

        boolean isBoolean() {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        boolean isIntegral() {
            return token == JsonToken.VALUE_NUMBER_INT;
        }

        boolean isNumber() {
            return isIntegral() || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        /** The integer, or null when it is not one or does not fit a long. */
        Long asLong() {
            try {
                return isIntegral() ? Long.parseLong(text) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** As it appears in JSON, for messages: strings quoted, objects and arrays elided. */
        @Override
        public String toString() {
            return switch (token) {
                case VALUE_STRING -> "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
                case START_OBJECT -> "{...}";
                case START_ARRAY -> "[...]";
                default -> text;
            };
        }
    }

    /** Thrown when the text is JSON but not an object: says what it is instead. */
    static final class NotAnObject extends Exception {
        private static final long serialVersionUID = 1L;

        NotAnObject(String found) {
            super(found);
        }
    }

    private JsonFields() {}

    /** The fields of the one object {@code json} holds, in order. */
    static Map<String, Value> read(String json) throws JsonProcessingException, NotAnObject {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new NotAnObject(kind(t));
            }
            Map<String, Value> fields = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    fields.put(name, new Value(v, null));
                } else {
                    fields.put(name, new Value(v, p.getText()));
                }
            }
            if (p.nextToken() != null) {
                throw new NotAnObject("an object followed by more (" + p.currentToken().asString() + ")");
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Reading a String does no I/O; the parser declares it for streams.
            throw new IllegalStateException(e);
        }
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }
}
