package io.baystack.cloud;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.baystack.baymodel.CloudResources;
import io.baystack.cloud.CloudPayloads.Image;
import io.baystack.cloud.CloudPayloads.ImageList;
import io.baystack.cloud.CloudPayloads.Network;
import io.baystack.config.BaystackConfig;
import io.baystack.keystone.Caller;
import io.baystack.keystone.ServiceCatalog;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The create-time look-ups in Glance, Nova and Neutron, each made with the caller's own token (so a
 * private image or another user's keypair is not found, as in Magnum), all at once. What is found stays
 * found for {@code baystack.cloud.cache-ttl}, per project (per user for keypairs); what is not found is
 * asked again every time, so a user who has just made it is not refused. Creates asking the same thing at
 * the same time share one look-up (a burst of creates is one request to Neutron, not hundreds).
 */
@ApplicationScoped
class OpenStackLookups implements CloudResources {

    private static final Logger LOG = Logger.getLogger(OpenStackLookups.class);
    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$");
    private static final Check FINE = Check.fine(null);

    private final ServiceCatalog catalog;
    private final BaystackConfig.Cloud config;
    private final AsyncCache<String, Check> found;
    private final Map<String, Object> clients = new ConcurrentHashMap<>();

    OpenStackLookups(ServiceCatalog catalog, BaystackConfig config) {
        this.catalog = catalog;
        this.config = config.cloud();
        this.found = Caffeine.newBuilder().maximumSize(this.config.cacheSize())
                .expireAfterWrite(this.config.cacheTtl().toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run).buildAsync();
    }

    @Override
    public Uni<Check> check(Caller caller, Refs refs) {
        if (!config.validate()) {
            return Uni.createFrom().item(FINE);
        }
        // in Magnum's order: the first problem found is the one reported
        List<Uni<Check>> checks = new ArrayList<>();
        checks.add(image(caller, refs.image()));
        checks.add(flavor(caller, refs.flavor()));
        checks.add(flavor(caller, refs.masterFlavor()));
        checks.add(keypair(caller, refs.keypair()));
        checks.add(externalNetwork(caller, refs.externalNetwork()));
        checks.add(CloudResources.isCidr(refs.fixedNetwork()) ? Uni.createFrom().item(FINE)
                : fixedNetwork(caller, refs.fixedNetwork()));
        checks.add(fixedSubnet(caller, refs.fixedSubnet()));
        return Uni.join().all(checks).andFailFast().map(all -> all.stream().filter(c -> !c.ok()).findFirst()
                .orElse(Check.fine(all.get(0).osDistro())));
    }

    private Uni<Check> image(Caller caller, String image) {
        if (blank(image)) {
            return Uni.createFrom().item(FINE);
        }
        return cached(caller.projectId() + "|image|" + image, () -> client("image", caller, GlanceRestClient.class)
                .chain(glance -> UUID.matcher(image).matches()
                        ? glance.byId(caller.token(), image).map(List::of).onFailure(this::notFound).recoverWithItem(List.of())
                        : glance.byName(caller.token(), image).map(ImageList::images)
                                .onFailure(this::notFound).recoverWithItem(List.of()))
                .map(images -> {
                    if (images.isEmpty()) {
                        return problem(Problem.IMAGE_NOT_FOUND, image);
                    }
                    if (images.size() > 1) {
                        return problem(Problem.IMAGE_AMBIGUOUS, image);
                    }
                    Image one = images.get(0);
                    return blank(one.osDistro()) ? problem(Problem.IMAGE_WITHOUT_OS_DISTRO, image) : Check.fine(one.osDistro());
                }), "image");
    }

    private Uni<Check> flavor(Caller caller, String flavor) {
        if (blank(flavor)) {
            return Uni.createFrom().item(FINE);
        }
        return cached(caller.projectId() + "|flavor|" + flavor, () -> client("compute", caller, NovaRestClient.class)
                .chain(nova -> nova.flavors(caller.token()))
                .map(list -> list.flavors().stream().anyMatch(f -> flavor.equals(f.id()) || flavor.equals(f.name()))
                        ? FINE : problem(Problem.FLAVOR_NOT_FOUND, flavor)), "compute");
    }

    private Uni<Check> keypair(Caller caller, String keypair) {
        if (blank(keypair)) {
            return Uni.createFrom().item(FINE);
        }
        // a keypair is its user's, not the project's
        return cached(caller.userId() + "|keypair|" + keypair, () -> client("compute", caller, NovaRestClient.class)
                .chain(nova -> nova.keypair(caller.token(), keypair)).map(k -> FINE)
                .onFailure(this::notFound).recoverWithItem(problem(Problem.KEYPAIR_NOT_FOUND, keypair)), "compute");
    }

    private Uni<Check> externalNetwork(Caller caller, String network) {
        return network(caller, network, Problem.EXTERNAL_NETWORK_NOT_FOUND, n -> Boolean.TRUE.equals(n.external()));
    }

    private Uni<Check> fixedNetwork(Caller caller, String network) {
        return network(caller, network, Problem.FIXED_NETWORK_NOT_FOUND, n -> true);
    }

    /** A network by name, else by id; a network that is there but not external is no external network (as Magnum). */
    private Uni<Check> network(Caller caller, String network, Problem missing, java.util.function.Predicate<Network> fit) {
        if (blank(network)) {
            return Uni.createFrom().item(FINE);
        }
        return cached(caller.projectId() + "|" + missing + "|" + network, () -> client("network", caller, NeutronRestClient.class)
                .chain(neutron -> neutron.networks(caller.token(), network, null)
                        .chain(byName -> byName.networks().isEmpty() && UUID.matcher(network).matches()
                                ? neutron.networks(caller.token(), null, network) : Uni.createFrom().item(byName))
                        .onFailure(this::notFound).recoverWithItem(new CloudPayloads.NetworkList(List.of())))
                .map(list -> list.networks().stream().anyMatch(fit) ? FINE : problem(missing, network)), "network");
    }

    private Uni<Check> fixedSubnet(Caller caller, String subnet) {
        if (blank(subnet)) {
            return Uni.createFrom().item(FINE);
        }
        return cached(caller.projectId() + "|subnet|" + subnet, () -> client("network", caller, NeutronRestClient.class)
                .chain(neutron -> neutron.subnets(caller.token(), subnet, null)
                        .chain(byName -> byName.subnets().isEmpty() && UUID.matcher(subnet).matches()
                                ? neutron.subnets(caller.token(), null, subnet) : Uni.createFrom().item(byName))
                        .onFailure(this::notFound).recoverWithItem(new CloudPayloads.SubnetList(List.of())))
                .map(list -> list.subnets().isEmpty() ? problem(Problem.FIXED_SUBNET_NOT_FOUND, subnet) : FINE), "network");
    }

    /**
     * A found thing from the cache, else the look-up, shared by whoever asks while it runs; any failure but
     * "not found" means the service cannot tell. A failed look-up leaves the cache by itself (Caffeine drops
     * a future that failed); a problem found is dropped once its waiters have it.
     */
    private Uni<Check> cached(String key, Supplier<Uni<Check>> lookup, String serviceType) {
        CompletableFuture<Check> shared = found.get(key, (k, executor) -> lookup.get()
                .onFailure(e -> !(e instanceof Unavailable)).transform(e -> {
                    LOG.warnf("the %s service could not be asked: %s", serviceType, e.getMessage());
                    return new Unavailable("The " + serviceType + " service could not be reached to check the request ("
                            + (e instanceof WebApplicationException w ? "HTTP " + w.getResponse().getStatus() : e.getMessage())
                            + "); try again later.");
                })
                .subscribeAsCompletionStage());
        // each asker waits on a copy: one that gives up (a client gone) does not cancel the others' look-up.
        // The shared look-up completes on the first asker's Vert.x context; each asker goes on on its own
        // (its request's reactive session lives there: two requests on one context share a session)
        return Uni.createFrom().deferred(() -> {
            Context own = Vertx.currentContext();
            Uni<Check> copy = Uni.createFrom().completionStage(shared.thenApply(check -> check));
            return own == null ? copy : copy.emitOn(command -> own.runOnContext(ignored -> command.run()));
        })
                .invoke(check -> {
                    if (!check.ok()) {
                        found.asMap().remove(key, shared);
                    }
                });
    }

    /** 404, or 400: the service says no such thing can exist (a malformed id or name), so none does. */
    private boolean notFound(Throwable e) {
        return e instanceof WebApplicationException w && (w.getResponse().getStatus() == 404 || w.getResponse().getStatus() == 400);
    }

    /** The typed client of a service, at its public endpoint in baystack's catalog (a project in the URL is the caller's). */
    @SuppressWarnings("unchecked")
    private <C> Uni<C> client(String type, Caller caller, Class<C> api) {
        return catalog.endpointOf(type)
                .onFailure().transform(e -> new Unavailable(e.getMessage()))
                .map(url -> url.replace("%(tenant_id)s", caller.projectId()).replace("%(project_id)s", caller.projectId())
                        .replace("$(tenant_id)s", caller.projectId()))
                .map(url -> (C) clients.computeIfAbsent(api.getSimpleName() + " " + url, k -> QuarkusRestClientBuilder.newBuilder()
                        .baseUri(URI.create(url))
                        .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .build(api)));
    }

    private static Check problem(Problem problem, String name) {
        return new Check(problem, name, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
