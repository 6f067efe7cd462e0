package io.baystack.heat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.heat.HeatPayloads.HeatError;
import io.baystack.keystone.KeystoneException;

/**
 * Turns a failed Heat call into a {@link HeatException}: Heat's own error text for
 * {@code status_reason}, and whether Heat may have acted on the request. Only an answer that proves
 * Heat did nothing counts as not applied; anything else keeps a create's claim, so that the next try
 * looks the stack up by name instead of racing a create Heat may still be carrying out.
 */
final class HeatFailures {

    private final ObjectMapper json;
    private final Duration timeout;

    HeatFailures(ObjectMapper json, Duration timeout) {
        this.json = json;
        this.timeout = timeout;
    }

    HeatException translate(Throwable e) {
        if (e instanceof HeatException h) {
            return h;
        }
        if (e instanceof WebApplicationException w) {
            return answered(w.getResponse().getStatus(), body(w));
        }
        return unanswered(e, timeout);
    }

    /** An HTTP answer with this status and body (null when unreadable). */
    HeatException answered(int status, String body) {
        HeatError error = heatError(body);
        String message = message(status, body, error);
        if (status == 409) {
            return new HeatException(message.contains("already exists") ? HeatException.Kind.CONFLICT : HeatException.Kind.BUSY,
                    message, false);
        }
        if (status == 404) {
            return new HeatException(HeatException.Kind.REJECTED, "404 " + message, false);
        }
        if (status == 429) {
            // a refusal before any work, whoever sends it (Heat or a rate limiter in front of it): no
            // gateway turns an upstream failure into a 429
            return new HeatException(HeatException.Kind.UNAVAILABLE, "Heat answered 429: " + message, false);
        }
        if (status >= 500) {
            // 500/501/503 in Heat's own error body: heat-api answered and is done with the request.
            // A 502/504 (or a bare 500 page) comes from something in between, which may have passed
            // the request on to a Heat that is still acting on it.
            boolean fromHeat = error != null && (status == 500 || status == 501 || status == 503);
            return new HeatException(HeatException.Kind.UNAVAILABLE, "Heat answered " + status + ": " + message, !fromHeat);
        }
        return new HeatException(HeatException.Kind.REJECTED, message, false);
    }

    /** No HTTP answer: only a connection that was never made (or no endpoint to make it to) proves nothing was sent. */
    static HeatException unanswered(Throwable e, Duration timeout) {
        boolean refused = false;
        boolean timedOut = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            refused |= t instanceof ConnectException || t instanceof KeystoneException;
            timedOut |= t instanceof TimeoutException;
        }
        if (refused) {
            return new HeatException(HeatException.Kind.UNAVAILABLE, "Heat is unreachable: " + e.getMessage(), false);
        }
        if (timedOut) {
            return new HeatException(HeatException.Kind.UNAVAILABLE, "Heat did not answer within " + timeout.toSeconds() + "s", true);
        }
        // reset or closed after the request went out: Heat may have it
        return new HeatException(HeatException.Kind.UNAVAILABLE, "Heat is unreachable: " + e.getMessage(), true);
    }

    private static String body(WebApplicationException w) {
        try {
            return w.getResponse().readEntity(String.class);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Heat's JSON error body, or null when the body is not one (e.g. a proxy's HTML page). */
    private HeatError heatError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            HeatError error = json.readValue(body, HeatError.class);
            return error.explanation() != null || (error.error() != null && error.error().message() != null) ? error : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String message(int status, String body, HeatError error) {
        if (body == null || body.isBlank()) {
            return "HTTP " + status;
        }
        if (error != null) {
            return error.error() != null && error.error().message() != null ? error.error().message() : error.explanation();
        }
        return body.length() > 500 ? body.substring(0, 500) : body;
    }
}
