package io.baystack.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.RecordedSpans;
import io.baystack.support.Rows;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The seed's chain is one trace per bay operation: the API's request, its queries, the hand-off, the
 * Heat function, its calls to Heat and the reconciler's change of the bay, each span under the one
 * before it, recorded by the in-memory exporter of the tests.
 */
@QuarkusTest
class BayTraceTest {

    @Inject
    Rows rows;

    @Test
    void aBayCreateIsOneTraceFromTheRequestToTheReconciler() {
        String uuid = Api.createBay(Api.unique("trace"), Api.createBaymodel(Api.unique("trace"), "debian-12"), 1);
        assertThat(Api.awaitFinal(uuid).getString("status")).isEqualTo("CREATE_COMPLETE");

        String traceparent = (String) rows.byUuid("bay", uuid).get("trace_parent");
        assertThat(traceparent).as("the row keeps the accepting request's trace").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        String traceId = traceparent.split("-")[1];

        // the sync that stored CREATE_COMPLETE may end its span just after the status shows in the API
        Predicate<SpanData> completingSync = s -> s.getName().equals("reconciler sync")
                && "CREATE_COMPLETE".equals(s.getAttributes().get(AttributeKey.stringKey("heat.stack.status")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find(traceId, completingSync).isPresent());
        List<SpanData> trace = RecordedSpans.ofTrace(traceId);

        SpanData request = only(trace, s -> s.getKind() == SpanKind.SERVER && s.getName().startsWith("POST"));
        assertThat(request.getParentSpanContext().isValid()).as("the request starts the trace").isFalse();
        assertThat(trace).as("the request's insert of the bay into PostgreSQL").anyMatch(s -> s.getKind() == SpanKind.CLIENT
                && s.getName().equals("INSERT bay") && s.getParentSpanId().equals(request.getSpanId()));

        // the request's hand-off, sent while the request runs (the reconciler's redrive may hand the bay over
        // again later, in the same trace and under the same parent: the row's trace_parent)
        SpanData publish = only(trace, s -> s.getName().equals("bay-handoff publish")
                && s.getParentSpanId().equals(request.getSpanId())
                && s.getStartEpochNanos() <= request.getEndEpochNanos());
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanId());

        SpanData function = only(trace, s -> s.getName().equals("heat-function create")
                && s.getParentSpanId().equals(publish.getSpanId()));
        assertThat(function.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(function.getAttributes().get(AttributeKey.stringKey(BayTracing.BAY_UUID))).isEqualTo(uuid);

        List<SpanData> heatCalls = trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT
                && s.getParentSpanId().equals(function.getSpanId())
                && String.valueOf(s.getAttributes().get(AttributeKey.stringKey("url.full"))).contains("/stacks")).toList();
        assertThat(heatCalls).as("the Heat function's calls to Heat, under its span: look up by name, then create")
                .anyMatch(s -> s.getName().startsWith("GET")).anyMatch(s -> s.getName().startsWith("POST"));

        SpanData sync = only(trace, completingSync);
        assertThat(sync.getAttributes().get(AttributeKey.stringKey("baystack.status.before"))).isEqualTo("CREATE_IN_PROGRESS");
        assertThat(sync.getAttributes().get(AttributeKey.stringKey(BayTracing.BAY_UUID))).isEqualTo(uuid);
        // the sync's own calls are under it: the read of the finished stack's outputs and the bay's write
        // (one `with … update bay` statement, which the SQL client's span names after its first word)
        String stackId = (String) rows.byUuid("bay", uuid).get("stack_id");
        List<SpanData> underSync = trace.stream().filter(s -> s.getParentSpanId().equals(sync.getSpanId())).toList();
        String names = underSync.stream().map(s -> s.getKind() + " " + s.getName()).toList().toString();
        assertThat(underSync).as("the GET of the stack (its outputs) under the sync: %s", names)
                .anyMatch(s -> s.getKind() == SpanKind.CLIENT && s.getName().startsWith("GET")
                        && String.valueOf(s.getAttributes().get(AttributeKey.stringKey("url.full"))).endsWith("/" + stackId));
        assertThat(underSync).as("the write of CREATE_COMPLETE under the sync: %s", names)
                .anyMatch(s -> s.getKind() == SpanKind.CLIENT && String.valueOf(s.getAttributes()
                        .get(AttributeKey.stringKey("db.statement"))).contains("update bay"));
    }

    private static Optional<SpanData> find(String traceId, Predicate<SpanData> what) {
        return RecordedSpans.ofTrace(traceId).stream().filter(what).findFirst();
    }

    private static SpanData only(List<SpanData> trace, Predicate<SpanData> what) {
        List<SpanData> found = trace.stream().filter(what).toList();
        assertThat(found).as("in %s", trace.stream().map(s -> s.getKind() + " " + s.getName()).toList()).hasSize(1);
        return found.get(0);
    }
}
