package io.baystack.bay;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.baystack.api.BaystackException;
import io.baystack.api.Idents;
import io.baystack.api.JsonPatch;
import io.baystack.api.Noun;
import io.baystack.api.Paging;
import io.baystack.api.Tenancy;
import io.baystack.api.Validation;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.config.BaystackConfig;
import io.baystack.db.DatabaseFaults;
import io.baystack.runtime.Gate;
import io.baystack.trace.BayTracing;
import io.baystack.baymodel.CloudChecks;
import io.baystack.baymodel.CloudResources;
import io.baystack.keystone.Caller;
import io.baystack.observability.BayLog;
import io.baystack.quota.QuotaService;
import io.baystack.secrets.SecretBox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Accepting bays: validate, resolve the model, store the bay CREATE_IN_PROGRESS with the caller's
 * token sealed in its row (the Heat function makes the bay's Keystone trust from it, as Magnum's
 * conductor does, so no request waits on a Keystone write), and only after the commit hand it to the
 * Heat function. A hand-off lost after the commit is made good by the reconciler's redrive, so the
 * stored row is the promise. Transactions are programmatic ({@code Panache.withTransaction} /
 * {@code withSession}), as in every service: the hand-off must run outside the transaction, so a
 * method opens exactly the session or transaction it needs.
 */
@ApplicationScoped
public class BayService {

    private static final Logger LOG = Logger.getLogger(BayService.class);
    static final int NAME_MAX = 242;
    static final String WAITING = "Accepted; waiting for the Heat function";
    /** Attributes no PATCH may touch. */
    static final Set<String> INTERNAL = Set.of("uuid", "id", "links", "created_at", "updated_at", "project_id",
            "user_id", "api_address", "node_addresses", "master_addresses", "stack_id", "trust_id",
            "ca_cert_ref", "magnum_cert_ref", "trustee_username", "trustee_password", "trustee_user_id");

    private final BayRepository bays;
    private final BayModelRepository models;
    private final SecretBox box;
    private final HandOffs handOffs;
    private final BayProgressRepository progress;
    private final BayTracing tracing;
    private final BaystackConfig config;
    private final QuotaService quotas;
    private final CloudChecks cloud;
    /** The creates' stores, a few at a time per project (see baystack.database.create-concurrency). */
    private final Gate.Striped stores;

    BayService(BayRepository bays, BayModelRepository models, SecretBox box, HandOffs handOffs,
            BaystackConfig config, QuotaService quotas, BayTracing tracing, BayProgressRepository progress,
            CloudChecks cloud) {
        this.cloud = cloud;
        this.stores = new Gate.Striped(64, config.database().createConcurrency());
        this.progress = progress;
        this.tracing = tracing;
        this.quotas = quotas;
        this.bays = bays;
        this.models = models;
        this.box = box;
        this.handOffs = handOffs;
        this.config = config;
    }

    /** {@code names}: how the request names the noun and its model and timeout fields, for messages. */
    public Uni<Bay> create(BayRequest spec, BayRequest.Names names, Caller caller) {
        spec.validate(names);
        return models.findVisible(spec.model(), caller, names.modelNoun())
                // a missing model is the request's fault: 400, as Magnum answers
                .onFailure(BaystackException.class).transform(e -> ((BaystackException) e).kind() == BaystackException.Kind.NOT_FOUND
                        ? BaystackException.invalid(e.getMessage()) : e)
                .invoke(model -> {
                    // a hidden model is the admins' to use (Magnum master): listed to them alone, used by them alone
                    if (model.hidden && !caller.isAdmin()) {
                        throw BaystackException.forbidden(names.modelNoun().singular() + " " + spec.model()
                                + " is hidden: only an admin may create a " + names.noun().singular().toLowerCase() + " from it.");
                    }
                    validateAgainst(spec, model, names.noun());
                })
                .chain(model -> {
                    Bay bay = newBay(spec, model, caller, names.noun());
                    // what the bay names (its model's and its own choices) must exist in the cloud, as Magnum checks
                    return cloud.require(caller, new CloudResources.Refs(model.imageId, bay.flavorId, bay.masterFlavorId,
                            bay.keypair, model.externalNetworkId, bay.fixedNetwork, bay.fixedSubnet)).replaceWith(bay);
                })
                .chain(bay -> {
                    // the quota: the project's count includes this bay once it is stored; its row stays
                    // locked to the commit, so two creates cannot both take the last place
                    return stores.through(bay.projectId, () -> Panache.withTransaction(() -> bays.accept(bay)
                            .invoke(accepted -> quotas.checkWithin(accepted.projectBays(), accepted.clusterQuota()))
                            .map(BayRepository.Accepted::bay)))
                            // the model was deleted after it was read: the request's fault, as a missing model is
                            .onFailure(DatabaseFaults::missingReference).transform(e -> BaystackException.invalid(
                                    names.noun().singular() + " cannot be created: its " + names.modelNoun().singular().toLowerCase()
                                            + " " + spec.model() + " was deleted meanwhile."));
                })
                .invoke(bay -> BayLog.statusChanged(bay.uuid, "new", bay.status, "accepted for project " + bay.projectId
                        + ", stack " + bay.stackName))
                .call(bay -> handOffs.handOver(bay.uuid, HandOffs.CREATE, BayLog.requestId()));
    }

    /** A bay with its progress and its model's labels (what its labels differ from), as its GET shows it. */
    public record WithProgress(Bay bay, Progress progress, Map<String, String> modelLabels) {
    }

    /** The bay the caller may see (404 / 409 as for a GET of it) with its progress and its model's labels. */
    public Uni<WithProgress> withProgress(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(Idents.canonical(ident), caller, noun)
                .chain(bay -> progress.findById(bay.id).chain(p -> models.findByUuid(bay.baymodelId)
                        .map(m -> new WithProgress(bay, Progress.of(p), m == null ? Map.of() : m.labels)))));
    }

    /** A page of the caller's bays, or (admins) of every project's or one project's. */
    public Uni<List<Bay>> list(Caller caller, Paging.Page page, String allTenants, String projectId, Noun noun) {
        return Panache.withSession(() -> {
            String scope = Tenancy.listScope(caller, allTenants, projectId, noun.singular().toLowerCase() + ":get_all_all_projects");
            return bays.list(scope, page, noun);
        });
    }

    /** As {@link #list}, the summary fields only (a list page without details). */
    public Uni<List<BayListing>> listSummaries(Caller caller, Paging.Page page, String allTenants, String projectId, Noun noun) {
        return Panache.withSession(() -> {
            String scope = Tenancy.listScope(caller, allTenants, projectId, noun.singular().toLowerCase() + ":get_all_all_projects");
            return bays.listSummaries(scope, page, noun);
        });
    }


    /**
     * Accepts a delete from any status but a delete under way: DELETE_IN_PROGRESS, the stack's delete
     * pending. Idempotent: a repeated DELETE records nothing, resets no backoff, hands nothing over.
     */
    public Uni<Void> delete(String ident, Caller caller, Noun noun) {
        return Panache.withSession(() -> bays.findVisible(ident, caller, noun))
                .chain(bay -> bays.apply(BayTransition.DELETE_ACCEPTED, bay.id, BayChange.reason(WAITING)
                        .note("Delete accepted; waiting for the Heat function").trace(tracing.current())).chain(applied -> {
                    if (!applied.changed()) {
                        // already being deleted: a repeated DELETE changes nothing and hands nothing over again
                        return Uni.createFrom().voidItem();
                    }
                    LOG.debugf("bay %s: delete accepted", bay.uuid);
                    return handOffs.handOver(bay.uuid, HandOffs.DELETE, BayLog.requestId());
                }))
                .replaceWithVoid();
    }


    /** Rules that need the model; checked before anything is created for the bay. */
    private static void validateAgainst(BayRequest r, BayModel model, Noun noun) {
        if (masterCount(r) > 1 && !masterLb(r, model)) {
            throw BaystackException.invalid("master_count must be 1 when master_lb_enabled is False.");
        }
        if (masterCount(r) > 1) {
            // kubecluster.yaml builds one master; saying 3 and building 1 would be a lie
            throw BaystackException.invalid("master_count " + masterCount(r)
                    + " is not supported yet: baystack builds one master per " + noun.singular().toLowerCase() + ".");
        }
    }

    private static int masterCount(BayRequest r) {
        return r.masterCount() == null ? 1 : r.masterCount();
    }

    private static boolean masterLb(BayRequest r, BayModel model) {
        return r.masterLbEnabled() == null ? model.masterLbEnabled : r.masterLbEnabled();
    }

    private Bay newBay(BayRequest r, BayModel model, Caller caller, Noun noun) {
        Bay bay = new Bay();
        bay.uuid = UUID.randomUUID().toString();
        bay.traceParent = tracing.current();
        bay.name = r.name() == null ? Validation.generatedName(noun.singular().toLowerCase()) : r.name();
        bay.projectId = caller.projectId();
        bay.userId = caller.userId();
        bay.baymodelId = model.uuid;
        bay.nodeCount = r.nodeCount() == null ? 1 : r.nodeCount();
        bay.masterCount = masterCount(r);
        bay.discoveryUrl = r.discoveryUrl();
        // 0 or nothing means the configured default, as in Magnum since Newton
        bay.createTimeout = r.createTimeout() == null || r.createTimeout() == 0
                ? config.heat().defaultCreateTimeoutMins() : r.createTimeout();
        // unset fields are inherited from the model
        bay.dockerVolumeSize = r.dockerVolumeSize() != null ? r.dockerVolumeSize() : model.dockerVolumeSize;
        bay.labels = labels(r, model);
        io.baystack.baymodel.KnownLabels.check(bay.labels);
        bay.flavorId = blankToNull(r.flavorId()) != null ? r.flavorId() : model.flavorId;
        bay.masterFlavorId = blankToNull(r.masterFlavorId()) != null ? r.masterFlavorId() : model.masterFlavorId;
        bay.fixedNetwork = blankToNull(r.fixedNetwork()) != null ? r.fixedNetwork() : model.fixedNetwork;
        bay.fixedSubnet = blankToNull(r.fixedSubnet()) != null ? r.fixedSubnet() : model.fixedSubnet;
        bay.floatingIpEnabled = r.floatingIpEnabled() != null ? r.floatingIpEnabled() : model.floatingIpEnabled;
        bay.masterLbEnabled = masterLb(r, model);
        bay.keypair = blankToNull(r.keypair()) != null ? r.keypair() : model.keypairId;
        bay.stackName = Bay.stackNameFor(bay.name, bay.uuid);
        // the trust is the Heat function's to make, from this token: sealed to the bay, gone once it exists
        bay.trustorToken = box.seal(caller.token(), Bay.trustorContext(bay.uuid));
        bay.trustorRoles = caller.roles();
        bay.trustorExpiresAt = caller.expiresAt();
        bay.status = BayStatus.CREATE_IN_PROGRESS;
        bay.statusReason = WAITING;
        bay.createdAt = Instant.now();
        return bay;
    }

    /**
     * The request's labels, or the model's when it gives none or an empty map (as Magnum); merged over the
     * model's when asked (clusters' merge_labels).
     */
    private static Map<String, String> labels(BayRequest r, BayModel model) {
        if (r.labels() == null || r.labels().isEmpty()) {
            return model.labels;
        }
        if (!r.mergeLabels()) {
            return r.labels();
        }
        Map<String, String> merged = new LinkedHashMap<>(model.labels);
        merged.putAll(r.labels());
        return merged;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
