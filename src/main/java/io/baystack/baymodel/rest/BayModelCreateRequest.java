package io.baystack.baymodel.rest;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /v1/baymodels}; every field may be null. */
public record BayModelCreateRequest(
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
        @JsonProperty("public") Boolean isPublic,
        Boolean hidden,
        @JsonProperty("tls_disabled") Boolean tlsDisabled,
        @JsonProperty("floating_ip_enabled") Boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") Boolean masterLbEnabled,
        @JsonProperty("server_type") String serverType,
        @JsonProperty("cluster_distro") String clusterDistro) {
}
