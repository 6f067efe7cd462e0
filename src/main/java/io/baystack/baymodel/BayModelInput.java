package io.baystack.baymodel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model is made of, as given (create) or as it would be after a patch: the service's input,
 * whichever name and wire shape it came under. Null means "not given". Label values stay raw: bay
 * models take text only, cluster templates any scalar (checked by the service).
 */
public record BayModelInput(
        String name,
        String coe,
        String imageId,
        String flavorId,
        String masterFlavorId,
        String keypairId,
        String externalNetworkId,
        String fixedNetwork,
        String fixedSubnet,
        String dnsNameserver,
        Integer dockerVolumeSize,
        String dockerStorageDriver,
        String networkDriver,
        String volumeDriver,
        String httpProxy,
        String httpsProxy,
        String noProxy,
        Map<String, Object> labels,
        Boolean isPublic,
        Boolean hidden,
        Boolean tlsDisabled,
        Boolean registryEnabled,
        String insecureRegistry,
        Boolean floatingIpEnabled,
        Boolean masterLbEnabled,
        String serverType,
        String clusterDistro,
        Integer apiserverPort,
        String tags,
        String driver) {

    /** The stored model as an input: what a patch is applied to. */
    public static BayModelInput of(BayModel m) {
        return new BayModelInput(m.name, m.coe, m.imageId, m.flavorId, m.masterFlavorId, m.keypairId,
                m.externalNetworkId, m.fixedNetwork, m.fixedSubnet, m.dnsNameserver, m.dockerVolumeSize,
                m.dockerStorageDriver, m.networkDriver, m.volumeDriver, m.httpProxy, m.httpsProxy, m.noProxy,
                new LinkedHashMap<>(m.labels), m.isPublic, m.hidden, m.tlsDisabled, m.registryEnabled,
                m.insecureRegistry, m.floatingIpEnabled, m.masterLbEnabled, m.serverType, m.clusterDistro,
                m.apiserverPort, m.tags, m.driver);
    }
}
