package io.baystack.keystone;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The parts of Keystone v3's wire format baystack reads; field names as Keystone spells them. */
final class KeystonePayloads {

    private KeystonePayloads() {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenEnvelope(Token token) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Token(@JsonProperty("expires_at") String expiresAt, Named user, Named project, List<Named> roles,
            List<CatalogEntry> catalog, @JsonProperty("OS-TRUST:trust") Named trust) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Named(String id, String name) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CatalogEntry(String type, List<Endpoint> endpoints) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Endpoint(@JsonProperty("interface") String iface, String region, String url) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TrustEnvelope(Trust trust) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Trust(String id, @JsonProperty("trustor_user_id") String trustorUserId,
            @JsonProperty("trustee_user_id") String trusteeUserId, @JsonProperty("project_id") String projectId,
            boolean impersonation, @JsonProperty("allow_redelegation") boolean allowRedelegation,
            List<RoleRef> roles, @JsonProperty("expires_at") String expiresAt) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TrustList(List<Trust> trusts) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RoleRef(String name) {
    }
}
