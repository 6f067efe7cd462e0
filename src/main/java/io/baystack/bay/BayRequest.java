package io.baystack.bay;

import java.util.LinkedHashMap;
import java.util.Map;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.api.Validation;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;

/**
 * What a create asks for, whichever name it came under (a bay or a cluster): the service's input,
 * built by name ({@link #builder()}). Null means "not given": inherited from the model, or the default.
 *
 * @param minNodes the smallest node_count allowed (1; 0 for clusters from microversion 1.10)
 */
public record BayRequest(String name, String model, Integer nodeCount, Integer masterCount, String discoveryUrl,
        Integer createTimeout, Integer dockerVolumeSize, Map<String, String> labels, boolean mergeLabels,
        String flavorId, String masterFlavorId, String fixedNetwork, String fixedSubnet, Boolean floatingIpEnabled,
        Boolean masterLbEnabled, String keypair, int minNodes) {

    /**
     * How the request names things, for its error messages: the resource's noun and the wire names of
     * the two fields that differ between bays and clusters. Given by the resource; the domain knows no wire.
     */
    public record Names(Noun noun, String modelField, String timeoutField) {

        Noun modelNoun() {
            return noun == Noun.CLUSTER ? Noun.CLUSTER_TEMPLATE : Noun.BAYMODEL;
        }
    }

    /** The rules that need nothing but the request; 400 in Magnum's words. */
    void validate(Names names) {
        BayRequest r = this;
        if (r.model() == null || r.model().isBlank()) {
            throw BaystackException.invalid("Invalid input for field/attribute " + names.modelField() + ". Mandatory field missing.");
        }
        if (r.name() != null) {
            Validation.name(r.name(), BayService.NAME_MAX);
        }
        Validation.atLeast("node_count", r.nodeCount(), r.minNodes());
        Validation.atLeast("master_count", r.masterCount(), 1);
        Validation.atLeast(names.timeoutField(), r.createTimeout(), 0);
        Validation.atLeast("docker_volume_size", r.dockerVolumeSize(), 1);
        Validation.length("discovery_url", r.discoveryUrl(), 255);
        Validation.length("flavor_id", r.flavorId(), 255);
        Validation.length("master_flavor_id", r.masterFlavorId(), 255);
        Validation.length("fixed_network", r.fixedNetwork(), 255);
        Validation.length("fixed_subnet", r.fixedSubnet(), 255);
        Validation.length("keypair", r.keypair(), 255);
        if (r.labels() != null) {
            // the same rules as a bay model's labels (text values)
            BayModelService.textLabels(new LinkedHashMap<>(r.labels()), ModelKind.BAYMODEL);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every field optional; node_count may go down to 1 unless {@link #minNodes(int)} says otherwise. */
    public static final class Builder {
        private String name;
        private String model;
        private Integer nodeCount;
        private Integer masterCount;
        private String discoveryUrl;
        private Integer createTimeout;
        private Integer dockerVolumeSize;
        private Map<String, String> labels;
        private boolean mergeLabels;
        private String flavorId;
        private String masterFlavorId;
        private String fixedNetwork;
        private String fixedSubnet;
        private Boolean floatingIpEnabled;
        private Boolean masterLbEnabled;
        private String keypair;
        private int minNodes = 1;

        private Builder() {
        }

        public Builder name(String v) { name = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder nodeCount(Integer v) { nodeCount = v; return this; }
        public Builder masterCount(Integer v) { masterCount = v; return this; }
        public Builder discoveryUrl(String v) { discoveryUrl = v; return this; }
        public Builder createTimeout(Integer v) { createTimeout = v; return this; }
        public Builder dockerVolumeSize(Integer v) { dockerVolumeSize = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        /** Merge the labels over the model's instead of replacing them (clusters' merge_labels). */
        public Builder mergeLabels(boolean v) { mergeLabels = v; return this; }
        public Builder flavorId(String v) { flavorId = v; return this; }
        public Builder masterFlavorId(String v) { masterFlavorId = v; return this; }
        public Builder fixedNetwork(String v) { fixedNetwork = v; return this; }
        public Builder fixedSubnet(String v) { fixedSubnet = v; return this; }
        public Builder floatingIpEnabled(Boolean v) { floatingIpEnabled = v; return this; }
        public Builder masterLbEnabled(Boolean v) { masterLbEnabled = v; return this; }
        public Builder keypair(String v) { keypair = v; return this; }
        public Builder minNodes(int v) { minNodes = v; return this; }

        public BayRequest build() {
            return new BayRequest(name, model, nodeCount, masterCount, discoveryUrl, createTimeout, dockerVolumeSize,
                    labels, mergeLabels, flavorId, masterFlavorId, fixedNetwork, fixedSubnet, floatingIpEnabled,
                    masterLbEnabled, keypair, minNodes);
        }
    }
}
