package io.baystack.baymodel.rest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.baymodel.BayModel;

/**
 * A bay model or cluster template as the API shows it (lists show the same full object, as Magnum
 * does). Only cluster templates show their owner; for bay models project_id and user_id are left out.
 */
public record BayModelView(
        String uuid,
        String name,
        String coe,
        @JsonProperty("image_id") String imageId,
        @JsonProperty("flavor_id") String flavorId,
        @JsonProperty("master_flavor_id") String masterFlavorId,
        @JsonProperty("keypair_id") String keypairId,
        @JsonProperty("external_network_id") String externalNetworkId,
        @JsonProperty("fixed_network") String fixedNetwork,
        @JsonProperty("fixed_subnet") String fixedSubnet,
        @JsonProperty("dns_nameserver") String dnsNameserver,
        @JsonProperty("docker_volume_size") Integer dockerVolumeSize,
        @JsonProperty("docker_storage_driver") String dockerStorageDriver,
        @JsonProperty("network_driver") String networkDriver,
        @JsonProperty("volume_driver") String volumeDriver,
        @JsonProperty("http_proxy") String httpProxy,
        @JsonProperty("https_proxy") String httpsProxy,
        @JsonProperty("no_proxy") String noProxy,
        Map<String, String> labels,
        @JsonProperty("public") boolean isPublic,
        boolean hidden,
        @JsonProperty("tls_disabled") boolean tlsDisabled,
        @JsonProperty("registry_enabled") boolean registryEnabled,
        @JsonProperty("insecure_registry") String insecureRegistry,
        @JsonProperty("floating_ip_enabled") boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") boolean masterLbEnabled,
        @JsonProperty("server_type") String serverType,
        @JsonProperty("cluster_distro") String clusterDistro,
        @JsonProperty("apiserver_port") Integer apiserverPort,
        String tags,
        // cluster templates only (null when unset); a bay model has no such field
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Absent.class) Object driver,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("project_id") String projectId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("user_id") String userId,
        List<ResponseLinks.Link> links,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    /** The value of a field the view does not have; filtered out of the JSON by {@link Absent}. */
    static final Object ABSENT = new Object();

    /** Jackson's include filter: leaves out {@link #ABSENT}, keeps everything else (null too). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public static final class Absent {
        @Override
        public boolean equals(Object value) {
            return value == ABSENT;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** As {@code /v1/baymodels} shows it. */
    public static BayModelView of(BayModel m, String base) {
        return of(m, base, "baymodels", false);
    }

    /** As {@code /v1/<collection>} shows it; {@code owner} adds project_id and user_id. */
    public static BayModelView of(BayModel m, String base, String collection, boolean owner) {
        return new BayModelView(m.uuid, m.name, m.coe, m.imageId, m.flavorId, m.masterFlavorId, m.keypairId,
                m.externalNetworkId, m.fixedNetwork, m.fixedSubnet, m.dnsNameserver, m.dockerVolumeSize,
                m.dockerStorageDriver, m.networkDriver, m.volumeDriver, m.httpProxy, m.httpsProxy, m.noProxy,
                m.labels, m.isPublic, m.hidden, m.tlsDisabled, m.registryEnabled, m.insecureRegistry,
                m.floatingIpEnabled, m.masterLbEnabled, m.serverType, m.clusterDistro, m.apiserverPort, m.tags,
                "clustertemplates".equals(collection) ? m.driver : ABSENT, owner ? m.projectId : null, owner ? m.userId : null,
                ResponseLinks.of(base, collection, m.uuid), Timestamps.format(m.createdAt),
                Timestamps.format(m.updatedAt));
    }
}
