package io.baystack.keystone;

import java.time.Instant;
import java.util.List;

/**
 * Who made a request, from a token Keystone validated. {@code token} is the caller's own token: used
 * while the request lasts (to create the bay's trust) and never stored.
 */
public record Caller(String userId, String userName, String projectId, String projectName, List<String> roles,
        String token, Instant expiresAt) {

    public boolean isAdmin() {
        return roles.contains("admin");
    }

    @Override
    public String toString() {
        // keeps the token out of logs
        return "Caller[user=" + userName + "(" + userId + "), project=" + projectName + "(" + projectId + ")]";
    }
}
