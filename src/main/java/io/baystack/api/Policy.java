package io.baystack.api;

import io.baystack.keystone.Caller;

/** The few policy rules baystack has: some calls are for admins (Keystone role {@code admin}) only. */
public final class Policy {

    private Policy() {
    }

    public static void requireAdmin(Caller caller, String rule) {
        if (!caller.isAdmin()) {
            throw denied(rule);
        }
    }

    public static BaystackException denied(String rule) {
        return BaystackException.forbidden("Policy doesn't allow " + rule + " to be performed.");
    }
}
