package io.baystack.api;

import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Field rules shared by bays and bay models, with Magnum's messages. */
public final class Validation {

    /** Names start with a letter; the Heat stack name is built from them. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_.-]*$");
    public static final Set<String> COES = Set.of("kubernetes", "swarm", "swarm-mode", "mesos", "dcos");
    private static final String[] GREEK = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
            "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
            "chi", "psi", "omega" };
    private static final SecureRandom RANDOM = new SecureRandom();

    private Validation() {
    }

    public static void name(String name, int max) {
        if (name.isEmpty() || name.length() > max) {
            throw BaystackException.invalid("Invalid input for field/attribute name. Value: '" + printable(name)
                    + "'. The name must be 1 to " + max + " characters long.");
        }
        if (!NAME.matcher(name).matches()) {
            throw BaystackException.invalid("Invalid input for field/attribute name. Value: '" + printable(name)
                    + "'. Names must start with a letter and contain only letters, digits, '_', '.' and '-'.");
        }
    }

    public static void length(String field, String value, int max) {
        text(field, value);
        if (value != null && (value.isEmpty() || value.length() > max)) {
            throw BaystackException.invalid("Invalid input for field/attribute " + field + ". Value: '"
                    + printable(value) + "'. Must be 1 to " + max + " characters long.");
        }
    }

    public static void atLeast(String field, Integer value, int min) {
        if (value != null && value < min) {
            throw BaystackException.invalid("Invalid input for field/attribute " + field + ". Value: '" + value
                    + "'. Value should be greater or equal to " + min + ".");
        }
    }

    /** Text never carries control characters (PostgreSQL refuses NUL; the rest have no business in an API). */
    public static void text(String field, String value) {
        if (value != null && hasControl(value)) {
            throw BaystackException.invalid("Invalid input for field/attribute " + field + ". Value: '"
                    + printable(value) + "'. Must not contain control characters.");
        }
    }

    public static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** An integer given as a JSON number or a numeric string (as Magnum's clients send it). */
    public static int integer(String field, JsonNode value) {
        if (value != null && value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value != null && value.isTextual() && value.textValue().trim().matches("[+-]?\\d{1,9}")) {
            return Integer.parseInt(value.textValue().trim());
        }
        throw BaystackException.invalid("Invalid input for field/attribute " + field + ". Value: '"
                + printable(value == null ? "null" : value.toString()) + "'. Wrong type. Expected 'integer'.");
    }

    /** A random name such as {@code zeta-7-bay}, for objects created without one. */
    public static String generatedName(String suffix) {
        return GREEK[RANDOM.nextInt(GREEK.length)] + "-" + (1 + RANDOM.nextInt(24)) + "-" + suffix;
    }

    /** Echoed values are cut short and stripped of control characters. */
    public static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Magnum's {@code rollback} query flag of a PATCH (from 1.3; ignored before, as Zed's older handler had none). */
    public static boolean rollback(String value, Microversion version) {
        if (value == null || !version.atLeast(new Microversion(1, 3))) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "y", "on", "t" -> true;
            case "false", "0", "no", "n", "off", "f", "" -> false;
            default -> throw BaystackException.invalid("Invalid input for query parameter rollback. Value: '"
                    + printable(value) + "'. Wrong type. Expected 'bool'.");
        };
    }
}
