package io.baystack.conductor;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * A CloudEvents sink over HTTP in binary mode (Knative Broker ingress, or any sink a SinkBinding
 * names in {@code K_SINK}). Built by {@link BayHandOff} with the configured URL.
 */
@Consumes(MediaType.APPLICATION_JSON)
interface CloudEventSink {

    @POST
    Uni<Response> send(@HeaderParam("ce-specversion") String specversion, @HeaderParam("ce-id") String id,
            @HeaderParam("ce-source") String source, @HeaderParam("ce-type") String type,
            @HeaderParam("ce-subject") String subject, Map<String, Object> data);
}
