package io.baystack.cloud;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The little of Glance v2, Nova v2.1 and Neutron v2.0 the create-time look-ups read; names as the services spell them. */
public final class CloudPayloads {

    private CloudPayloads() {
    }

    /** A Glance image: its custom properties (os_distro) are top-level fields. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(String id, String name, @JsonProperty("os_distro") String osDistro) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageList(List<Image> images) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Flavor(String id, String name) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FlavorList(List<Flavor> flavors) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Keypair(String name) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KeypairEnvelope(Keypair keypair) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(String id, String name, @JsonProperty("router:external") Boolean external) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NetworkList(List<Network> networks) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Subnet(String id, String name, @JsonProperty("network_id") String networkId) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SubnetList(List<Subnet> subnets) {
    }
}
