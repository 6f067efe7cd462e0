package io.baystack.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.UriInfo;

import io.baystack.config.BaystackConfig;

/** Magnum's per-object links: {@code self} under /v1 and {@code bookmark} without it. */
public final class ResponseLinks {

    public record Link(String href, String rel) {
    }

    private ResponseLinks() {
    }

    public static String base(UriInfo uri, BaystackConfig config) {
        Optional<String> configured = config.api().publicUrl();
        String base = configured.orElseGet(() -> uri.getBaseUri().toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public static List<Link> of(String base, String collection, String uuid) {
        return List.of(new Link(base + "/v1/" + collection + "/" + uuid, "self"),
                new Link(base + "/" + collection + "/" + uuid, "bookmark"));
    }

    /** A list envelope, {@code {"<name>": [...], "next": "…"}}, with next left out when there is none. */
    public static Map<String, Object> collection(String name, List<?> items, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(name, items);
        if (next != null) {
            body.put("next", next);
        }
        return body;
    }
}
