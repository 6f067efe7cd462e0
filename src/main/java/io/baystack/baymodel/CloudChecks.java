package io.baystack.baymodel;

import jakarta.enterprise.context.ApplicationScoped;

import io.baystack.api.BaystackException;
import io.baystack.baymodel.CloudResources.Check;
import io.baystack.baymodel.CloudResources.Refs;
import io.baystack.keystone.Caller;
import io.smallrye.mutiny.Uni;

/**
 * Magnum's create-time checks of a model or a bay against the cloud: the answer Magnum gives for the
 * first missing thing (400, or 404 for a keypair; 409 for an image name several images share), and
 * 503 when a service cannot tell; then the image's os_distro must be one the bootstrap runs on (400
 * naming those). Nothing is stored before these pass.
 */
@ApplicationScoped
public class CloudChecks {

    /** The image distributions baystack's Kubernetes bootstrap (heat/bootstrap/, apt) runs on. */
    public static final java.util.Set<String> SUPPORTED_DISTROS = java.util.Set.of("debian", "ubuntu");

    private final CloudResources cloud;

    CloudChecks(CloudResources cloud) {
        this.cloud = cloud;
    }

    /** The image's os_distro (null when the image was not looked up), once everything named exists. */
    public Uni<String> require(Caller caller, Refs refs) {
        return cloud.check(caller, refs)
                .onFailure(CloudResources.Unavailable.class).transform(e -> BaystackException.unavailable(e.getMessage()))
                .map(check -> {
                    if (!check.ok()) {
                        throw refusal(check);
                    }
                    boolean existingNetwork = refs.fixedNetwork() != null && !refs.fixedNetwork().isBlank()
                            && !CloudResources.isCidr(refs.fixedNetwork());
                    if (refs.fixedSubnet() != null && !refs.fixedSubnet().isBlank() && !existingNetwork) {
                        // the servers' ports need the subnet's network: it would otherwise be ignored
                        throw BaystackException.invalid("fixed_subnet " + refs.fixedSubnet()
                                + " needs fixed_network: the existing network the subnet is in.");
                    }
                    String distro = check.osDistro();
                    if (distro != null && !SUPPORTED_DISTROS.contains(distro.toLowerCase(java.util.Locale.ROOT))) {
                        // Magnum picks a driver by (server type, os_distro, coe) and refuses a triple it has none for
                        throw BaystackException.invalid("Cluster type (vm, " + distro + ", kubernetes) not supported: baystack's"
                                + " Kubernetes bootstrap runs on images whose os_distro is debian or ubuntu.");
                    }
                    return distro;
                });
    }

    static BaystackException refusal(Check check) {
        String name = check.name();
        return switch (check.problem()) {
            case IMAGE_NOT_FOUND -> BaystackException.invalid("Image " + name + " could not be found.");
            case IMAGE_AMBIGUOUS -> BaystackException.conflict("Multiple images exist with same name " + name
                    + ". Please use the image id instead.");
            case IMAGE_WITHOUT_OS_DISTRO -> BaystackException.invalid("Image " + name + " doesn't contain os_distro field.");
            case FLAVOR_NOT_FOUND -> BaystackException.invalid("Unable to find flavor " + name + ".");
            case KEYPAIR_NOT_FOUND -> BaystackException.notFound("Unable to find keypair " + name + ".");
            case EXTERNAL_NETWORK_NOT_FOUND -> BaystackException.invalid("Unable to find external network " + name + ".");
            case FIXED_NETWORK_NOT_FOUND -> BaystackException.invalid("Unable to find fixed network " + name + ".");
            case FIXED_SUBNET_NOT_FOUND -> BaystackException.invalid("Unable to find fixed subnet " + name + ".");
        };
    }
}
