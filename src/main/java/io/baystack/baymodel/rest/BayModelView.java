package io.baystack.baymodel.rest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.ResponseLinks;
import io.baystack.api.Timestamps;
import io.baystack.baymodel.BayModel;

/** A bay model as the API shows it (lists show the same full object, as Magnum does). */
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
        @JsonProperty("network_driver") String networkDriver,
        @JsonProperty("volume_driver") String volumeDriver,
        Map<String, String> labels,
        @JsonProperty("public") boolean isPublic,
        boolean hidden,
        @JsonProperty("tls_disabled") boolean tlsDisabled,
        @JsonProperty("floating_ip_enabled") boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") boolean masterLbEnabled,
        @JsonProperty("server_type") String serverType,
        @JsonProperty("cluster_distro") String clusterDistro,
        List<ResponseLinks.Link> links,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static BayModelView of(BayModel m, String base) {
        return new BayModelView(m.uuid, m.name, m.coe, m.imageId, m.flavorId, m.masterFlavorId, m.keypairId,
                m.externalNetworkId, m.fixedNetwork, m.fixedSubnet, m.dnsNameserver, m.dockerVolumeSize,
                m.networkDriver, m.volumeDriver, m.labels, m.isPublic, m.hidden, m.tlsDisabled,
                m.floatingIpEnabled, m.masterLbEnabled, m.serverType, m.clusterDistro,
                ResponseLinks.of(base, "baymodels", m.uuid), Timestamps.format(m.createdAt),
                Timestamps.format(m.updatedAt));
    }
}
