package io.baystack.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * The tests' in-memory span exporter: every ended span of the application under test, the newest
 * {@value #KEEP} of them (a long run records many). Registered as a CDI SpanProcessor, which Quarkus
 * adds to its tracer provider.
 */
@ApplicationScoped
public class RecordedSpans {

    static final int KEEP = 50_000;
    private static final ConcurrentLinkedDeque<SpanData> SPANS = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger SIZE = new AtomicInteger();

    @Produces
    @Singleton
    SpanProcessor recorder() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                SPANS.add(span.toSpanData());
                if (SIZE.incrementAndGet() > KEEP && SPANS.pollFirst() != null) {
                    SIZE.decrementAndGet();
                }
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }

    /** The recorded spans of one trace, in the order they ended. */
    public static List<SpanData> ofTrace(String traceId) {
        List<SpanData> out = new ArrayList<>();
        for (SpanData s : SPANS) {
            if (s.getTraceId().equals(traceId)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The recorded spans of every trace, in the order they ended. */
    public static List<SpanData> all() {
        return new ArrayList<>(SPANS);
    }
}
