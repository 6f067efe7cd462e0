package io.baystack.function;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.api.BaystackException;
import io.baystack.bay.BayRepository;
import io.baystack.conductor.BayConverger;
import io.baystack.conductor.BayHandOff;
import io.baystack.conductor.HandOff;
import io.baystack.conductor.HeatNotifications;
import io.baystack.conductor.Redrive;
import io.baystack.conductor.StatusSync;
import io.baystack.notify.BayNotifier;
import io.baystack.config.BaystackConfig;
import io.baystack.observability.BayLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * baystack's functions as Knative Eventing calls them: CloudEvents over HTTP, binary or structured.
 * <ul>
 * <li>{@code POST /functions/heat}: the Heat function. The event's data names a bay
 * ({@code {"bay_uuid": …}}); the function does what the bay's row says is still to be done in
 * Heat and answers once it is done. A 2xx acknowledges the event; a 5xx (the database away) asks
 * Eventing to deliver it again, which is safe: the work is read from the row every time.</li>
 * <li>{@code POST /functions/reconcile}: one reconciler round, for a PingSource's event; or, for an
 * event whose data is one of Heat's stack notifications (a RabbitmqSource on Heat's notification
 * queue), the sync of that one stack's bay ({@code {"event", "stack_id", "changed"}}).</li>
 * </ul>
 * No timer or consumer thread is involved, so the pod may be scaled away between events. Off
 * ({@code 404}) unless {@code baystack.functions.enabled}: these routes take no Keystone token
 * and belong on a cluster-local service only.
 */
@Path("/functions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class FunctionsResource {

    /**
     * The type Knative's RabbitmqSource gives a RabbitMQ message that is not itself a CloudEvent: with
     * the API publishing to RabbitMQ (profile {@code rabbitmq}), such a source on the hand-off queue
     * brings the Heat function the message's body, the same JSON hand-off, as the event's data.
     */
    public static final String RABBITMQ_SOURCE_TYPE = "dev.knative.rabbitmq.event";

    private final BayConverger converger;
    private final Redrive redrive;
    private final StatusSync sync;
    private final io.baystack.conductor.BayHealthCheck health;
    private final BayNotifier notifier;
    private final BaystackConfig config;
    private final ObjectMapper json;
    private final BayRepository bays;

    FunctionsResource(BayConverger converger, Redrive redrive, StatusSync sync, BayNotifier notifier, BaystackConfig config,
            ObjectMapper json, BayRepository bays, io.baystack.conductor.BayHealthCheck health) {
        this.bays = bays;
        this.health = health;
        this.converger = converger;
        this.redrive = redrive;
        this.sync = sync;
        this.notifier = notifier;
        this.config = config;
        this.json = json;
    }

    @POST
    @Path("/heat")
    public Uni<Map<String, Object>> heat(HttpHeaders headers, String body) {
        CloudEvent event = event(headers, body);
        if (!BayHandOff.EVENT_TYPE.equals(event.type()) && !RABBITMQ_SOURCE_TYPE.equals(event.type())) {
            throw BaystackException.invalid("The Heat function takes CloudEvents of type " + BayHandOff.EVENT_TYPE
                    + " (or " + RABBITMQ_SOURCE_TYPE + " from a RabbitmqSource on baystack's hand-off queue), not "
                    + io.baystack.api.Validation.printable(event.type()) + ".");
        }
        HandOff handOff;
        try {
            handOff = HandOff.of(event.data());
        } catch (IllegalArgumentException e) {
            throw BaystackException.invalid("The event's data must name a bay: {\"bay_uuid\": \"<uuid>\"}.");
        }
        String uuid = handOff.bayUuid();
        if (handOff.requestId() != null) {
            // the work's log lines carry the request that caused it, as the channel's consumer does
            BayLog.useRequestId(handOff.requestId());
        }
        return converger.converge(handOff)
                .chain(() -> Panache.withSession(() -> bays.findByUuid(uuid)))
                .map(bay -> {
                    // what the bay looks like now: a stack id, or none yet when another delivery holds the
                    // create (the redrive takes it over if that one died); gone when it was deleted
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("event", event.id());
                    answer.put("bay_uuid", uuid);
                    answer.put("status", bay == null ? "DELETED" : bay.status.name());
                    answer.put("stack_id", bay == null ? null : bay.stackId);
                    return answer;
                });
    }

    @POST
    @Path("/reconcile")
    public Uni<Map<String, Object>> reconcile(HttpHeaders headers, String body) {
        CloudEvent event = event(headers, body);
        Optional<String> stack = event.data() == null ? Optional.empty()
                : HeatNotifications.stackOf(event.data().toString());
        if (stack.isPresent()) {
            // a Heat notification (a RabbitmqSource on Heat's notification queue): that one stack's bay, now
            String notification = event.data().toString();
            return sync.syncStack(stack.get(), HeatNotifications.stackNameOf(notification),
                    HeatNotifications.stateOf(notification)).map(changed -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("event", event.id());
                answer.put("stack_id", stack.get());
                answer.put("changed", changed ? 1 : 0);
                return answer;
            });
        }
        // the four periodic jobs, one after the other and each whatever the others did, all awaited: on
        // Knative the round is this one HTTP call, and nothing may go on after its answer in a pod that
        // may be scaled away
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event", event.id());
        return redrive.run().invoke(n -> answer.put("redriven", n))
                .chain(sync::run).invoke(round -> {
                    answer.put("checked", round.checked());
                    answer.put("changed", round.changed());
                })
                .chain(notifier::run).invoke(n -> answer.put("notified", n))
                .chain(() -> health.round().onFailure().recoverWithItem(0)).invoke(n -> answer.put("health_checked", n))
                .replaceWith(answer);
    }

    private CloudEvent event(HttpHeaders headers, String body) {
        if (!config.functions().enabled()) {
            throw BaystackException.notFound("The resource could not be found.");
        }
        Map<String, String> ce = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (name.toLowerCase().startsWith("ce-") && !values.isEmpty()) {
                ce.put(name.toLowerCase(), values.get(0));
            }
        });
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return CloudEvent.read(ce, contentType, body, json);
    }
}
