package io.baystack.heat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.baystack.config.BaystackConfig;
import io.baystack.heat.HeatPayloads.StackCreate;
import io.baystack.heat.HeatPayloads.StackDetail;
import io.baystack.heat.HeatPayloads.StackPatch;
import io.baystack.heat.HeatPayloads.StackSummary;
import io.baystack.keystone.ServiceCatalog;
import io.baystack.observability.BayMetrics;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Heat as baystack uses it. Owns the endpoint (Keystone catalog or override), timeouts, retries of
 * reads (never of {@code POST /stacks}), 404 as empty, and Heat's own error text for
 * {@code status_reason}. Writes act with the caller-supplied (trust) token in the bay's project;
 * cross-project reads use baystack's system-scoped token. Every call is timed here, by operation and
 * outcome ({@link BayMetrics#heatCall}).
 */
@ApplicationScoped
public class HeatStacks {

    private final BaystackConfig.Heat config;
    private final ServiceCatalog catalog;
    private final BayMetrics metrics;
    private final HeatFailures failures;
    private final Map<String, HeatRestClient> clients = new ConcurrentHashMap<>();

    HeatStacks(BaystackConfig config, ServiceCatalog catalog, ObjectMapper json, BayMetrics metrics) {
        this.metrics = metrics;
        this.config = config.heat();
        this.catalog = catalog;
        this.failures = new HeatFailures(json, this.config.timeout());
    }

    /** Creates the stack; returns its id. Not retried: a lost answer is settled by {@link #findByName}. */
    public Uni<String> create(String project, String token, StackCreate stack) {
        return timed("create", client().chain(c -> c.create(project, token, stack))
                .ifNoItem().after(config.timeout()).failWith(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "Heat did not answer the stack create within " + config.timeout().toSeconds() + "s"))
                .map(created -> created.stack().id())
                .onFailure().transform(failures::translate));
    }

    /**
     * A scale-down's removals as the minion group takes them: Nova server uuids become their minions'
     * group indexes, from the stack's resources (fails with {@link BayTemplate.NotAMinion}); the rest stay.
     */
    public Uni<String> removals(String project, String token, String name, String id, String toRemove) {
        return BayTemplate.namesServers(toRemove)
                ? resources(project, token, name, id).map(resources -> BayTemplate.removalsByIndex(toRemove, resources))
                : Uni.createFrom().item(toRemove);
    }

    /**
     * The removals of the default minion group and of each extra worker group (by group uuid), Nova server
     * uuids turned into group indexes from one read of the stack's resources (none when no entry is a uuid).
     */
    public Uni<Removals> removals(String project, String token, String name, String id, String toRemove,
            List<io.baystack.bay.NodeGroup> groups) {
        boolean servers = BayTemplate.namesServers(toRemove) || groups.stream().anyMatch(g -> BayTemplate.namesServers(g.minionsToRemove));
        return (servers ? resources(project, token, name, id) : Uni.createFrom().item(List.<HeatPayloads.Resource>of()))
                .map(resources -> {
                    Map<String, String> byGroup = new java.util.HashMap<>();
                    for (io.baystack.bay.NodeGroup g : groups) {
                        if (g.minionsToRemove != null) {
                            byGroup.put(g.uuid, BayTemplate.removalsByIndex(g.minionsToRemove, resources, WorkerGroups.resource(g)));
                        }
                    }
                    return new Removals(BayTemplate.removalsByIndex(toRemove, resources), byGroup);
                });
    }

    /**
     * The indexes of the default minion group's members that failed (a scale-up Nova refused, say). An
     * update that retries a failed one removes them, so that the group builds fresh members rather than
     * updating broken ones in place (Heat cannot replace a failed member's wait condition: its handle
     * is gone from the backup stack when the old one is deleted).
     */
    public Uni<List<String>> failedMembers(String project, String token, String name, String id) {
        return resources(project, token, name, id).map(list -> list.stream()
                .filter(r -> "kube_minions".equals(r.parent()) && r.name() != null && r.name().matches("\\d+")
                        && r.status() != null && r.status().endsWith("_FAILED"))
                .map(HeatPayloads.Resource::name).sorted().toList());
    }

    /** The default group's removals and the extra groups' (by group uuid), as indexes and addresses. */
    public record Removals(String minions, Map<String, String> groups) {
    }

    /**
     * Sends new parameter values to the stack. Not retried here: the bay keeps the update pending
     * until this succeeds, and the redrive sends it again (the same values, so the result is the same).
     */
    public Uni<Void> update(String project, String token, String name, String id, Map<String, Object> parameters,
            boolean rollback) {
        return update(project, token, name, id, new BayTemplate.Update(null, parameters), rollback);
    }

    /** As {@link #update(String, String, String, String, Map, boolean)}, with the template when the update has one. */
    public Uni<Void> update(String project, String token, String name, String id, BayTemplate.Update update,
            boolean rollback) {
        Map<String, Object> parameters = update.parameters();
        // disable_rollback is the stack's own setting, kept from its create (true) unless an update says otherwise
        return timed("update", client().chain(c -> c.patch(project, token, name, id, new StackPatch(update.template(), parameters, null, !rollback)))
                .ifNoItem().after(config.timeout()).failWith(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "Heat did not answer the stack update within " + config.timeout().toSeconds() + "s"))
                .onFailure().transform(failures::translate));
    }

    /** Deletes the stack; false when Heat no longer knows it. Safe to repeat, so retried like a read. */
    public Uni<Boolean> delete(String project, String token, String name, String id) {
        return timed("delete", read(client().chain(c -> c.delete(project, token, name, id)))).replaceWith(true)
                .onFailure(this::isNotFound).recoverWithItem(false);
    }

    /**
     * The failed resources of the stack and of its nested stacks: "parent.resource" (or "resource"
     * at the top) → Heat's reason. Empty when Heat no longer knows the stack.
     */
    public Uni<Map<String, String>> failedResources(String project, String token, String name, String id) {
        return resources(project, token, name, id).map(list -> {
            Map<String, String> faults = new java.util.TreeMap<>();
            for (HeatPayloads.Resource r : list) {
                if (r.status() != null && r.status().endsWith("_FAILED")) {
                    faults.put(r.path(), r.statusReason() == null ? r.status() : r.statusReason());
                }
            }
            return faults;
        });
    }

    /** Every resource of the stack and of its nested stacks; empty when Heat no longer knows the stack. */
    public Uni<List<HeatPayloads.Resource>> resources(String project, String token, String name, String id) {
        return timed("resources", read(client().chain(c -> c.resources(project, token, name, id, config.nestedDepth()))))
                .map(list -> list.resources() == null ? List.<HeatPayloads.Resource>of() : list.resources())
                .onFailure(this::isNotFound).recoverWithItem(List.of());
    }

    /**
     * The events of the stack and of its nested stacks, oldest first, after the event {@code marker}
     * (all when null, or when Heat no longer has that event); empty when Heat no longer knows the stack.
     */
    public Uni<List<HeatPayloads.Event>> events(String project, String token, String name, String id, String marker) {
        return timed("events", read(client().chain(c -> c.events(project, token, name, id, config.nestedDepth(), "asc", marker))))
                .onFailure(e -> marker != null && isNotFound(e))
                .recoverWithUni(() -> timed("events",
                        read(client().chain(c -> c.events(project, token, name, id, config.nestedDepth(), "asc", null)))))
                .map(list -> list.events() == null ? List.<HeatPayloads.Event>of() : list.events())
                .onFailure(this::isNotFound).recoverWithItem(List.of());
    }

    /** The project's stack named {@code name}, if Heat has one. */
    public Uni<Optional<StackSummary>> findByName(String project, String token, String name) {
        return timed("find", read(client().chain(c -> c.list(project, token, name, null, null))))
                .map(list -> named(list, name));
    }

    /** The stack named {@code name} in Heat's list answer; none when the answer lists no stacks at all. */
    static Optional<StackSummary> named(HeatPayloads.StackList list, String name) {
        return list == null || list.stacks() == null ? Optional.empty()
                : list.stacks().stream().filter(s -> name.equals(s.stackName())).findFirst();
    }

    /**
     * The stacks with these ids, across every project: one list call per {@code list-page-size} ids
     * (a long id filter would overflow the request line), one after the other.
     */
    public Uni<List<StackSummary>> listByIds(Collection<String> ids) {
        if (ids.isEmpty()) {
            // no id filter would list every stack
            return Uni.createFrom().item(List.of());
        }
        return catalog.systemToken().chain(token -> paged(List.copyOf(ids), config.listPageSize(),
                page -> timed("list", read(client().chain(c -> c.list("-", token, null, page, true))))
                        .map(list -> list.stacks() == null ? List.<StackSummary>of() : list.stacks())));
    }

    /** {@code call} once per page of at most {@code size} items, in order; their results merged. */
    static <T, R> Uni<List<R>> paged(List<T> items, int size, Function<List<T>, Uni<List<R>>> call) {
        List<List<T>> pages = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            pages.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return Multi.createFrom().iterable(pages).onItem().transformToUniAndConcatenate(call::apply)
                .collect().in(ArrayList<R>::new, List::addAll).map(List::copyOf);
    }

    /**
     * One stack with its outputs, read in its own project with a project-scoped token (Heat 19 cannot
     * resolve nested-stack outputs for a system-scoped request); empty when Heat does not know it.
     */
    public Uni<Optional<StackDetail>> get(String project, String token, String name, String id) {
        return timed("get", read(client().chain(c -> c.get(project, token, name, id))))
                .map(envelope -> Optional.of(envelope.stack()))
                .onFailure(this::isNotFound).recoverWithItem(Optional.empty());
    }

    private <T> Uni<T> read(Uni<T> call) {
        return call.ifNoItem().after(config.timeout()).failWith(() -> new HeatException(HeatException.Kind.UNAVAILABLE,
                        "Heat did not answer within " + config.timeout().toSeconds() + "s"))
                .onFailure().transform(failures::translate)
                .onFailure(e -> e instanceof HeatException h && h.kind() == HeatException.Kind.UNAVAILABLE)
                .retry().withBackOff(config.readRetryInitial(), config.readRetryMax()).withJitter(0.3)
                .atMost(Math.max(0, config.readAttempts() - 1));
    }

    private <T> Uni<T> timed(String operation, Uni<T> call) {
        return metrics.heatCall(operation, call, e -> isNotFound(e) ? "not_found"
                : e instanceof HeatException h ? h.kind().name().toLowerCase(java.util.Locale.ROOT) : "error");
    }

    private Uni<HeatRestClient> client() {
        Uni<String> base = config.endpointOverride().map(u -> Uni.createFrom().item(u))
                .orElseGet(catalog::orchestrationBase);
        return base.map(url -> clients.computeIfAbsent(url, u -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(u))
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                // Heat answers GET /stacks/{name} with a redirect; baystack always names the id
                .followRedirects(false)
                .build(HeatRestClient.class)));
    }

    private boolean isNotFound(Throwable e) {
        return e instanceof HeatException h && h.kind() == HeatException.Kind.REJECTED
                && h.getMessage().startsWith("404");
    }
}
