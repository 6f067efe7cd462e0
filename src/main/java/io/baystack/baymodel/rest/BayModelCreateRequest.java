package io.baystack.baymodel.rest;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.baystack.api.StrictStrings;
import io.baystack.baymodel.BayModelInput;

/**
 * The body of {@code POST /v1/baymodels} and {@code POST /v1/clustertemplates} (Zed's two are the
 * same shape); every field may be null. Label values stay raw here: bay models take text only,
 * cluster templates any scalar (checked by the service).
 * Text fields take JSON strings only.
 */
@StrictStrings.Checked
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
        @JsonProperty("docker_storage_driver") String dockerStorageDriver,
        @JsonProperty("network_driver") String networkDriver,
        @JsonProperty("volume_driver") String volumeDriver,
        @JsonProperty("http_proxy") String httpProxy,
        @JsonProperty("https_proxy") String httpsProxy,
        @JsonProperty("no_proxy") String noProxy,
        Map<String, Object> labels,
        @JsonProperty("public") Boolean isPublic,
        Boolean hidden,
        @JsonProperty("tls_disabled") Boolean tlsDisabled,
        @JsonProperty("registry_enabled") Boolean registryEnabled,
        @JsonProperty("insecure_registry") String insecureRegistry,
        @JsonProperty("floating_ip_enabled") Boolean floatingIpEnabled,
        @JsonProperty("master_lb_enabled") Boolean masterLbEnabled,
        @JsonProperty("server_type") String serverType,
        @JsonProperty("cluster_distro") String clusterDistro,
        @JsonProperty("apiserver_port") Integer apiserverPort,
        String tags,
        String driver) {

    /** The service's input: the same fields under their Java names. */
    public BayModelInput toInput() {
        return new BayModelInput(name, coe, imageId, flavorId, masterFlavorId, keypairId, externalNetworkId,
                fixedNetwork, fixedSubnet, dnsNameserver, dockerVolumeSize, dockerStorageDriver, networkDriver,
                volumeDriver, httpProxy, httpsProxy, noProxy, labels, isPublic, hidden, tlsDisabled, registryEnabled,
                insecureRegistry, floatingIpEnabled, masterLbEnabled, serverType, clusterDistro, apiserverPort, tags, driver);
    }

    /** A model's fields under their wire names: what a JSON patch's paths address. */
    static BayModelCreateRequest of(BayModelInput i) {
        return new BayModelCreateRequest(i.name(), i.coe(), i.imageId(), i.flavorId(), i.masterFlavorId(),
                i.keypairId(), i.externalNetworkId(), i.fixedNetwork(), i.fixedSubnet(), i.dnsNameserver(),
                i.dockerVolumeSize(), i.dockerStorageDriver(), i.networkDriver(), i.volumeDriver(), i.httpProxy(),
                i.httpsProxy(), i.noProxy(), i.labels(), i.isPublic(), i.hidden(), i.tlsDisabled(), i.registryEnabled(),
                i.insecureRegistry(), i.floatingIpEnabled(), i.masterLbEnabled(), i.serverType(), i.clusterDistro(),
                i.apiserverPort(), i.tags(), i.driver());
    }
}
