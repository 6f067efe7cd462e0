package io.baystack.api;

/**
 * A {@code container-infra X.Y} API microversion, Magnum 2026.1's range 1.1 to 1.12. 1.11 is where Magnum
 * removed bays and baymodels; baystack keeps serving them at every microversion (the seed's path).
 */
public record Microversion(int major, int minor) implements Comparable<Microversion> {

    public static final String HEADER = "OpenStack-API-Version";
    public static final String SERVICE = "container-infra";
    public static final Microversion MIN = new Microversion(1, 1);
    public static final Microversion MAX = new Microversion(1, 12);
    /** From 1.12: {@code PATCH /v1/credentials/{cluster}} rotates a cluster's credentials. */
    public static final Microversion CREDENTIALS = new Microversion(1, 12);
    /** From 1.2 on, bay create, update and delete answer 202 with the uuid only. */
    public static final Microversion ASYNC_BAYS = new Microversion(1, 2);

    /** Reads the request header; absent means the minimum. */
    public static Microversion parse(String header) {
        if (header == null || header.isBlank()) {
            return MIN;
        }
        String[] parts = header.trim().split("\\s+");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase(SERVICE)) {
            throw new BaystackException(BaystackException.Kind.NOT_ACCEPTABLE,
                    "Invalid service type for " + HEADER + " header: expected '" + SERVICE + " X.Y'.");
        }
        if (parts[1].equalsIgnoreCase("latest")) {
            return MAX;
        }
        Microversion version;
        try {
            String[] nums = parts[1].split("\\.");
            if (nums.length != 2) {
                throw new NumberFormatException();
            }
            version = new Microversion(Integer.parseInt(nums[0]), Integer.parseInt(nums[1]));
        } catch (NumberFormatException e) {
            throw new BaystackException(BaystackException.Kind.NOT_ACCEPTABLE,
                    "Invalid value for " + HEADER + " header: " + parts[1] + ".");
        }
        if (version.compareTo(MIN) < 0 || version.compareTo(MAX) > 0) {
            throw new BaystackException(BaystackException.Kind.NOT_ACCEPTABLE,
                    "Version " + version + " was requested but the minimum supported version is " + MIN
                            + " and the maximum supported version is " + MAX + ".");
        }
        return version;
    }

    public boolean atLeast(Microversion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Microversion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
