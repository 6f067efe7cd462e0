package io.baystack.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** baystack's Prometheus metrics, as an operator scrapes them from {@code /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    /** The metrics page of the application under test. */
    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of one sample ({@code name{labels}}) in Prometheus text, or null when absent; an
     * exemplar (the trace of a recorded value, "# {trace_id=…}") may follow it.
     */
    public static Double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)( # .*)?$").matcher(metrics);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    /** The sum of every sample of {@code name} whose labels include all of {@code labels} (0 when none). */
    public static double sum(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)").matcher(metrics);
        double total = 0;
        while (m.find()) {
            String found = m.group(1);
            if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
