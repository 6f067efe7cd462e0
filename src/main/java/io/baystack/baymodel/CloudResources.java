package io.baystack.baymodel;

import io.baystack.keystone.Caller;
import io.smallrye.mutiny.Uni;

/**
 * The domain's port to the cloud's own catalogues (Glance, Nova, Neutron): whether what a model or a
 * bay names exists there, as the caller sees it. Implemented by the {@code cloud} adapter.
 */
public interface CloudResources {

    /**
     * What a bay (or a model alone) names in the cloud; a null field is not looked up.
     * {@code fixedNetwork} is looked up only when it is not a CIDR (the Kilo meaning: the range of the
     * bay's own network).
     */
    record Refs(String image, String flavor, String masterFlavor, String keypair, String externalNetwork,
            String fixedNetwork, String fixedSubnet) {
    }

    /** What the look-up found wrong with the first thing that is not there. */
    enum Problem {
        IMAGE_NOT_FOUND, IMAGE_AMBIGUOUS, IMAGE_WITHOUT_OS_DISTRO, FLAVOR_NOT_FOUND, KEYPAIR_NOT_FOUND,
        EXTERNAL_NETWORK_NOT_FOUND, FIXED_NETWORK_NOT_FOUND, FIXED_SUBNET_NOT_FOUND
    }

    /** The answer: nothing wrong ({@code problem} null, with the image's os_distro when it was looked up) or one problem. */
    record Check(Problem problem, String name, String osDistro) {
        public static Check fine(String osDistro) {
            return new Check(null, null, osDistro);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    /** A service to look in did not answer, or the catalog has none: the request cannot be checked. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** fixed_network as a CIDR is Kilo's meaning: the range of the bay's own network, nothing to look up. */
    static boolean isCidr(String network) {
        return network != null && network.matches("^[0-9a-fA-F:.]+/[0-9]{1,3}$");
    }

    /** Looks each named thing up with the caller's token; fails with {@link Unavailable} when a service cannot tell. */
    Uni<Check> check(Caller caller, Refs refs);
}
