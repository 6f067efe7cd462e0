package io.baystack.baymodel;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.api.Paging;
import io.baystack.api.Validation;
import io.baystack.baymodel.rest.BayModelCreateRequest;
import io.baystack.keystone.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Bay models: synchronous create, look-up, list and delete, as in Magnum. */
@ApplicationScoped
public class BayModelService {

    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)$");

    private final BayModelRepository models;

    BayModelService(BayModelRepository models) {
        this.models = models;
    }

    @WithTransaction
    public Uni<BayModel> create(BayModelCreateRequest request, Caller caller) {
        BayModel model = validated(request);
        model.uuid = UUID.randomUUID().toString();
        model.projectId = caller.projectId();
        model.userId = caller.userId();
        model.createdAt = Instant.now();
        return models.persist(model);
    }

    @WithSession
    public Uni<BayModel> get(String ident, Caller caller) {
        return models.findVisible(ident, caller);
    }

    @WithSession
    public Uni<List<BayModel>> list(Caller caller, Paging.Page page) {
        return models.listVisible(caller, page);
    }

    /** Deletes a model of the caller's project; one that bays still use cannot go (400, as Magnum). */
    @WithTransaction
    public Uni<Void> delete(String ident, Caller caller) {
        return models.findVisible(ident, caller).chain(model -> {
            if (!model.projectId.equals(caller.projectId()) && !caller.isAdmin()) {
                return Uni.createFrom().failure(BayModelRepository.notFound(ident));
            }
            return models.inUse(model.uuid).chain(used -> used
                    ? Uni.createFrom().failure(BaystackException.invalid(
                            "BayModel " + model.uuid + " is referenced by one or multiple bays."))
                    : models.delete(model));
        });
    }

    private static BayModel validated(BayModelCreateRequest r) {
        if (r.coe() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute coe. Mandatory field missing.");
        }
        if (!Validation.COES.contains(r.coe())) {
            throw BaystackException.invalid("Invalid input for field/attribute coe. Value: '"
                    + Validation.printable(r.coe()) + "'. Value should be one of: " + String.join(", ", Validation.COES.stream().sorted().toList()) + ".");
        }
        if (r.imageId() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute image_id. Mandatory field missing.");
        }
        if (r.keypairId() == null) {
            throw BaystackException.invalid("Invalid input for field/attribute keypair_id. Mandatory field missing.");
        }
        String name = r.name() == null ? Validation.generatedName("model") : r.name();
        Validation.length("name", name, 255);
        for (String[] field : new String[][] { { "image_id", r.imageId() }, { "flavor_id", r.flavorId() },
                { "master_flavor_id", r.masterFlavorId() }, { "keypair_id", r.keypairId() },
                { "external_network_id", r.externalNetworkId() }, { "fixed_network", r.fixedNetwork() },
                { "fixed_subnet", r.fixedSubnet() }, { "network_driver", r.networkDriver() },
                { "volume_driver", r.volumeDriver() }, { "cluster_distro", r.clusterDistro() } }) {
            Validation.length(field[0], field[1], 255);
        }
        Validation.atLeast("docker_volume_size", r.dockerVolumeSize(), 1);
        if (r.dnsNameserver() != null && !IPV4.matcher(r.dnsNameserver()).matches()) {
            throw BaystackException.invalid("Invalid input for field/attribute dns_nameserver. Value: '"
                    + Validation.printable(r.dnsNameserver()) + "'. Must be an IPv4 address.");
        }
        if (r.serverType() != null && !r.serverType().equals("vm") && !r.serverType().equals("bm")) {
            throw BaystackException.invalid("Invalid input for field/attribute server_type. Value should be one of: bm, vm.");
        }
        if (r.labels() != null) {
            r.labels().forEach((k, v) -> {
                if (k.isEmpty() || k.length() > 255 || (v != null && v.length() > 255)) {
                    throw BaystackException.invalid("Invalid input for field/attribute labels: keys and values must be at most 255 characters.");
                }
            });
        }
        BayModel m = new BayModel();
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
        m.networkDriver = r.networkDriver();
        m.volumeDriver = r.volumeDriver();
        m.labels = r.labels() == null ? java.util.Map.of() : r.labels();
        m.isPublic = Boolean.TRUE.equals(r.isPublic());
        m.hidden = Boolean.TRUE.equals(r.hidden());
        m.tlsDisabled = Boolean.TRUE.equals(r.tlsDisabled());
        m.floatingIpEnabled = r.floatingIpEnabled() == null || r.floatingIpEnabled();
        m.masterLbEnabled = Boolean.TRUE.equals(r.masterLbEnabled());
        m.serverType = r.serverType() == null ? "vm" : r.serverType();
        m.clusterDistro = r.clusterDistro();
        return m;
    }
}
