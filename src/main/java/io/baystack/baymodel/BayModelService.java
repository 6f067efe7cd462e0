package io.baystack.baymodel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.api.JsonPatch;
import io.baystack.api.Paging;
import io.baystack.api.Tenancy;
import io.baystack.api.Validation;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Bay models and cluster templates (one model, two names): synchronous create, look-up, list,
 * JSON-patch update and delete, as in Magnum.
 * Transactions are programmatic ({@code Panache.withTransaction} / {@code withSession}), as in every
 * service: BayService needs it (Keystone and the hand-off run outside any transaction), so all do.
 */
@ApplicationScoped
public class BayModelService {

    private static final String IPV4_PART = "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
    private static final Pattern IPV4 = Pattern.compile("^" + IPV4_PART + "$");
    private static final Pattern IPV4_LIST = Pattern.compile("^" + IPV4_PART + "(," + IPV4_PART + ")*$");
    /** What a PATCH may never touch. */
    private static final Set<String> INTERNAL = Set.of("uuid", "id", "links", "created_at", "updated_at",
            "project_id", "user_id");
    /** What a PATCH may change on a model that bays or clusters use. */
    /**
     * The cluster template drivers baystack serves: Magnum's Heat driver for Kubernetes on VMs, whose part
     * baystack's own Heat templates play. A template naming another (the Cluster API drivers) is refused.
     */
    static final java.util.List<String> DRIVERS = java.util.List.of("k8s_fedora_coreos_v1");

    private static final Set<String> WHILE_IN_USE = Set.of("name", "public", "hidden");

    private final BayModelRepository models;
    private final CloudChecks cloud;

    BayModelService(BayModelRepository models, CloudChecks cloud) {
        this.models = models;
        this.cloud = cloud;
    }

    /**
     * Stores a new model once what it names exists in the cloud (as Magnum: image with os_distro, flavors,
     * keypair, external network, fixed network and subnet); the image's os_distro becomes its cluster_distro.
     */
    public Uni<BayModel> create(BayModelInput request, Caller caller, ModelKind kind) {
        return cloud.require(caller, new CloudResources.Refs(request.imageId(), request.flavorId(), request.masterFlavorId(),
                request.keypairId(), request.externalNetworkId(), request.fixedNetwork(), request.fixedSubnet()))
                .chain(osDistro -> store(request, osDistro, caller, kind));
    }

    private Uni<BayModel> store(BayModelInput request, String osDistro, Caller caller, ModelKind kind) {
        return Panache.withTransaction(() -> {
            BayModel model = new BayModel();
            fill(model, request, kind);
            if (osDistro != null) {
                model.clusterDistro = osDistro;
            }
            checkPublish(model, false, false, caller, kind);
            model.uuid = UUID.randomUUID().toString();
            model.projectId = caller.projectId();
            model.userId = caller.userId();
            model.createdAt = Instant.now();
            return models.persist(model);
        });
    }

    public Uni<BayModel> get(String ident, Caller caller, ModelKind kind) {
        return Panache.withSession(() -> models.findVisible(ident, caller, kind.noun));
    }

    /**
     * A page of the caller's and the public models, or (admins) every model or one project's. Hidden
     * models are listed to admins only, as in Magnum (they stay readable by ident).
     */
    public Uni<List<BayModel>> list(Caller caller, Paging.Page page, String allTenants, String projectId, ModelKind kind) {
        return Panache.withSession(() -> {
            String scope = Tenancy.listScope(caller, allTenants, projectId,
                    kind.noun.singular().toLowerCase() + ":get_all_all_projects");
            return models.list(scope, caller.isAdmin(), page, kind.noun);
        });
    }

    /**
     * Applies a JSON patch to a model of the caller's project: the patched model is validated as a
     * new one would be. A model in use may only change name, public and hidden (400 otherwise).
     * {@code patched} applies the patch to the model's input (its paths are wire names: the resource's business).
     */
    public Uni<BayModel> update(String ident, List<JsonPatch.Op> patch, UnaryOperator<BayModelInput> patched,
            Caller caller, ModelKind kind) {
        return Panache.withTransaction(() -> {
            JsonPatch.validate(patch);
            for (JsonPatch.Op op : patch) {
                if (INTERNAL.contains(op.attribute())) {
                    throw BaystackException.invalid("'/" + op.attribute() + "' is an internal attribute and can not be updated");
                }
            }
            return owned(ident, caller, kind).chain(model -> models.inUse(model.uuid).map(used -> {
                if (used && !patch.stream().allMatch(op -> WHILE_IN_USE.contains(op.attribute()))) {
                    throw inUse(model, kind);
                }
                boolean wasPublic = model.isPublic;
                boolean wasHidden = model.hidden;
                fill(model, patched.apply(BayModelInput.of(model)), kind);
                checkPublish(model, wasPublic, wasHidden, caller, kind);
                model.updatedAt = Instant.now();
                return model;
            }));
        });
    }

    /** Deletes a model of the caller's project; one that bays still use cannot go (400, as Magnum). */
    public Uni<Void> delete(String ident, Caller caller, ModelKind kind) {
        return Panache.withTransaction(() -> owned(ident, caller, kind)
                .chain(model -> models.inUse(model.uuid).chain(used -> used
                        ? Uni.createFrom().failure(inUse(model, kind))
                        : models.delete(model))));
    }

    /** A visible model the caller may change: their project's (a public one of another project is 404 to them). */
    private Uni<BayModel> owned(String ident, Caller caller, ModelKind kind) {
        return models.findVisible(ident, caller, kind.noun).map(model -> {
            if (!model.projectId.equals(caller.projectId()) && !caller.isAdmin()) {
                throw kind.noun.notFound(ident);
            }
            return model;
        });
    }

    /** Making a model public (visible to every project) or hidden is for admins, as Magnum's publish policy. */
    private static void checkPublish(BayModel m, boolean wasPublic, boolean wasHidden, Caller caller, ModelKind kind) {
        if ((m.isPublic != wasPublic || m.hidden != wasHidden) && (m.isPublic || m.hidden || wasPublic || wasHidden)
                && !caller.isAdmin()) {
            throw BaystackException.forbidden("Not authorized to set public or hidden flag for "
                    + kind.noun.singular().toLowerCase() + ".");
        }
    }

    private static BaystackException inUse(BayModel model, ModelKind kind) {
        return BaystackException.invalid(kind.noun.singular() + " " + model.uuid + " is referenced by one or multiple "
                + kind.users.plural() + ".");
    }

    /** Validates the request as the kind's rules say and writes it into {@code m}. */
    private static void fill(BayModel m, BayModelInput r, ModelKind kind) {
        if (r.coe() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute coe. Mandatory field missing.");
        }
        if (!Validation.COES.contains(r.coe())) {
            throw BaystackException.invalid("Invalid input for field/attribute coe. Value: '"
                    + Validation.printable(r.coe()) + "'. Value should be one of: "
                    + String.join(", ", Validation.COES.stream().sorted().toList()) + ".");
        }
        if (r.imageId() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute image_id. Mandatory field missing.");
        }
        if (kind.keypairRequired && r.keypairId() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute keypair_id. Mandatory field missing.");
        }
        String name = r.name() == null ? Validation.generatedName("model") : r.name();
        Validation.length("name", name, 255);
        for (String[] field : new String[][] { { "image_id", r.imageId() }, { "flavor_id", r.flavorId() },
                { "master_flavor_id", r.masterFlavorId() }, { "keypair_id", r.keypairId() },
                { "external_network_id", r.externalNetworkId() }, { "fixed_network", r.fixedNetwork() },
                { "fixed_subnet", r.fixedSubnet() }, { "network_driver", r.networkDriver() },
                { "volume_driver", r.volumeDriver() }, { "cluster_distro", r.clusterDistro() },
                { "docker_storage_driver", r.dockerStorageDriver() }, { "http_proxy", r.httpProxy() },
                { "https_proxy", r.httpsProxy() }, { "no_proxy", r.noProxy() },
                { "insecure_registry", r.insecureRegistry() } }) {
            Validation.length(field[0], field[1], 255);
        }
        if (r.tags() != null && r.tags().length() > 255) {
            throw BaystackException.invalid("Invalid input for field/attribute tags. Must be at most 255 characters long.");
        }
        Validation.atLeast("docker_volume_size", r.dockerVolumeSize(), 1);
        if (r.apiserverPort() != null && (r.apiserverPort() < 1024 || r.apiserverPort() > 65535)) {
            throw BaystackException.invalid("Invalid input for field/attribute apiserver_port. Value: '"
                    + r.apiserverPort() + "'. Must be between 1024 and 65535.");
        }
        if (r.dnsNameserver() != null && !(kind.dnsList ? IPV4_LIST : IPV4).matcher(r.dnsNameserver()).matches()) {
            throw BaystackException.invalid("Invalid input for field/attribute dns_nameserver. Value: '"
                    + Validation.printable(r.dnsNameserver()) + "'. Must be "
                    + (kind.dnsList ? "a comma-separated list of IPv4 addresses." : "an IPv4 address."));
        }
        if (r.driver() != null && !kind.hasDriver) {
            // Zed's BayModel has no driver: as any field it does not know
            throw BaystackException.invalid("Unknown attribute: driver.");
        }
        if (r.driver() != null && !DRIVERS.contains(r.driver())) {
            throw BaystackException.invalid("Invalid input for field/attribute driver. Value: '" + Validation.printable(r.driver())
                    + "'. Value should be one of: " + String.join(", ", DRIVERS) + ".");
        }
        if (Boolean.TRUE.equals(r.tlsDisabled())) {
            throw BaystackException.invalid("Invalid input for field/attribute tls_disabled. Value: 'True'. baystack's bays"
                    + " always serve the Kubernetes API over TLS, with certificates of the bay's own CA; tls_disabled=true"
                    + " is not supported.");
        }
        if (r.networkDriver() != null && !KnownLabels.NETWORK_DRIVERS.contains(r.networkDriver())) {
            throw BaystackException.invalid("Invalid input for field/attribute network_driver. Value: '"
                    + Validation.printable(r.networkDriver()) + "'. Value should be one of: "
                    + String.join(", ", KnownLabels.NETWORK_DRIVERS) + ".");
        }
        if (r.serverType() != null && !r.serverType().equals("vm") && !r.serverType().equals("bm")) {
            throw BaystackException.invalid("Invalid input for field/attribute server_type. Value should be one of: bm, vm.");
        }
        m.name = name;
        m.coe = r.coe();
        m.imageId = r.imageId();
        m.flavorId = r.flavorId();
        m.masterFlavorId = r.masterFlavorId();
        m.keypairId = r.keypairId();
        m.externalNetworkId = r.externalNetworkId();
        m.fixedNetwork = r.fixedNetwork();
        m.fixedSubnet = r.fixedSubnet();
        m.dnsNameserver = r.dnsNameserver();
        m.dockerVolumeSize = r.dockerVolumeSize();
        m.dockerStorageDriver = r.dockerStorageDriver();
        m.networkDriver = r.networkDriver();
        m.volumeDriver = r.volumeDriver();
        m.httpProxy = r.httpProxy();
        m.httpsProxy = r.httpsProxy();
        m.noProxy = r.noProxy();
        m.labels = r.labels() == null ? Map.of() : textLabels(r.labels(), kind);
        KnownLabels.check(m.labels);
        m.isPublic = Boolean.TRUE.equals(r.isPublic());
        m.hidden = Boolean.TRUE.equals(r.hidden());
        m.tlsDisabled = Boolean.TRUE.equals(r.tlsDisabled());
        m.registryEnabled = Boolean.TRUE.equals(r.registryEnabled());
        m.insecureRegistry = r.insecureRegistry();
        m.floatingIpEnabled = r.floatingIpEnabled() == null || r.floatingIpEnabled();
        m.masterLbEnabled = Boolean.TRUE.equals(r.masterLbEnabled());
        m.serverType = r.serverType() == null ? "vm" : r.serverType();
        m.clusterDistro = r.clusterDistro();
        m.apiserverPort = r.apiserverPort();
        m.tags = r.tags();
        m.driver = r.driver();
    }

    /** Labels as stored (text): bay models take text values, cluster templates (and clusters) any scalar. */
    public static Map<String, String> textLabels(Map<String, Object> labels, ModelKind kind) {
        if (labels == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            boolean scalar = v == null || v instanceof String
                    || (kind.scalarLabels && (v instanceof Number || v instanceof Boolean));
            if (!scalar) {
                throw BaystackException.invalid("Invalid input for field/attribute labels. Value of label " + Validation.printable(k)
                        + (kind.scalarLabels ? " must be text, a number or a boolean." : " must be text."));
            }
            String text = v == null ? null : v.toString();
            Validation.text("labels", k);
            Validation.text("labels", text);
            if (k.isEmpty() || k.length() > 255 || (text != null && text.length() > 255)) {
                throw BaystackException.invalid("Invalid input for field/attribute labels: keys and values must be 1 to 255 characters.");
            }
            out.put(k, text);
        });
        return out;
    }
}
