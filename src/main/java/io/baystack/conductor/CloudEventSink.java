package io.baystack.conductor;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * A CloudEvents sink over HTTP in binary mode (Knative Broker ingress, or any sink a SinkBinding
 * names in {@code K_SINK}): the hand-offs of {@link BayHandOff} and the notifications.
 */
@Consumes(MediaType.APPLICATION_JSON)
public interface CloudEventSink {

    /** A client of the sink at {@code url}. */
    static CloudEventSink at(String url) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                .build(CloudEventSink.class);
    }

    @POST
    Uni<Response> send(@HeaderParam("ce-specversion") String specversion, @HeaderParam("ce-id") String id,
            @HeaderParam("ce-source") String source, @HeaderParam("ce-type") String type,
            @HeaderParam("ce-subject") String subject, Map<String, Object> data);
}
