package io.baystack.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one Python literal the stock clients put in a JSON patch: a dict of scalars written with
 * Python's repr, e.g. {@code "{'a': 'b', 'n': 3, 'on': True, 'x': None}"} (python-magnumclient sends
 * {@code /labels} that way). Values come back as text; None as null.
 */
public final class PythonLiteral {

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The dict, or a 400 naming {@code field} when the text is not one. */
    public static Map<String, String> dict(String field, String text) {
        try {
            PythonLiteral p = new PythonLiteral(text);
            Map<String, String> map = p.readDict();
            p.skipSpace();
            if (p.pos != text.length()) {
                throw new IllegalArgumentException("trailing text");
            }
            return map;
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw BaystackException.invalid("Invalid input for field/attribute " + field + ". Value: '"
                    + Validation.printable(text) + "'. Expected a dict.");
        }
    }

    private Map<String, String> readDict() {
        skipSpace();
        expect('{');
        Map<String, String> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            String key = readString();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, readScalar());
            skipSpace();
            char c = text.charAt(pos++);
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private String readScalar() {
        char c = peek();
        if (c == '\'' || c == '"') {
            return readString();
        }
        int start = pos;
        while (pos < text.length() && ",} ".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "None" -> null;
            case "True" -> "true";
            case "False" -> "false";
            default -> {
                if (!word.matches("[+-]?\\d+(\\.\\d+)?")) {
                    throw new IllegalArgumentException("not a scalar: " + word);
                }
                yield word;
            }
        };
    }

    private String readString() {
        char quote = text.charAt(pos++);
        if (quote != '\'' && quote != '"') {
            throw new IllegalArgumentException("expected a string");
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\') {
                char e = text.charAt(pos++);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
    }

    private void expect(char c) {
        if (text.charAt(pos++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
