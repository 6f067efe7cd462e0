package io.baystack.trace;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.smallrye.mutiny.Uni;

/**
 * One trace per bay operation, across processes and time. The API stores the W3C {@code traceparent}
 * of the request that accepted an operation on the bay's row and puts the hand-off's own in the
 * message; the Heat function and the reconciler continue that trace, whichever process and whenever
 * they run. Whether spans are recorded and exported is configuration (sampler ratio, OTLP endpoint);
 * trace ids are carried either way.
 */
@ApplicationScoped
public class BayTracing {

    /** Attribute naming the bay on every span baystack makes. */
    public static final String BAY_UUID = "baystack.bay.uuid";
    public static final String OPERATION = "baystack.operation";
    private static final String TRACEPARENT = "traceparent";

    private static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> carrier.put(key, value);
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    BayTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.baystack");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** The {@code traceparent} of the current context (null when there is none). */
    public String current() {
        return traceparent(Context.current());
    }

    /**
     * A span that starts and ends now (PRODUCER: a message about to leave), child of
     * {@code parentTraceparent} or, when null, of the current context. Returns the {@code traceparent}
     * that continues the trace from it.
     */
    public String producer(String name, String parentTraceparent, String bayUuid, String operation) {
        Context parent = parentTraceparent == null ? Context.current() : parse(parentTraceparent);
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute(BAY_UUID, bayUuid).setAttribute(OPERATION, String.valueOf(operation)).startSpan();
        try {
            return traceparent(parent.with(span));
        } finally {
            span.end();
        }
    }

    /**
     * Runs {@code work} inside a new span continuing {@code traceparent} (a fresh trace when null), the
     * span current for everything the work calls: the Heat client's requests, the database's queries.
     * Call it on the work's own Vert.x context (see FreshContext): the context is left attached there.
     */
    public <T> Uni<T> inSpan(String name, SpanKind kind, String traceparent, String bayUuid, Supplier<Uni<T>> work) {
        return inSpan(name, kind, traceparent, bayUuid, Map.of(), work);
    }

    /** {@link #inSpan(String, SpanKind, String, String, Supplier)} with more attributes on the span. */
    public <T> Uni<T> inSpan(String name, SpanKind kind, String traceparent, String bayUuid, Map<String, String> attributes,
            Supplier<Uni<T>> work) {
        Context parent = parse(traceparent);
        var builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).setAttribute(BAY_UUID, bayUuid);
        attributes.forEach(builder::setAttribute);
        Span span = builder.startSpan();
        parent.with(span).makeCurrent(); // the context lives as long as the work's Vert.x context
        return Uni.createFrom().<T>deferred(work::get)
                .onItemOrFailure().invoke((item, failure) -> {
                    if (failure != null) {
                        span.recordException(failure);
                        span.setStatus(StatusCode.ERROR, failure.getMessage());
                    }
                    span.end();
                });
    }

    private Context parse(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
    }

    private String traceparent(Context context) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, SETTER);
        return carrier.get(TRACEPARENT);
    }
}
