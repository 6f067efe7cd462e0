package io.baystack.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Magnum's error body (Mitaka on): {@code {"errors":[{request_id, code, status, title, detail, links}]}}.
 * Stock clients print {@code title}.
 */
public record ErrorBody(List<Item> errors) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(@JsonProperty("request_id") String requestId, String code, int status, String title,
            String detail, List<Object> links,
            @JsonProperty("max_version") String maxVersion, @JsonProperty("min_version") String minVersion) {
    }

    public static ErrorBody of(String requestId, int status, String detail) {
        String code = status >= 500 ? "server" : "client";
        int dot = detail.indexOf('.');
        String title = dot > 0 ? detail.substring(0, dot) : detail;
        return new ErrorBody(List.of(new Item(requestId == null ? "" : requestId, code, status, title, detail,
                List.of(), null, null)));
    }

    /** The 406 for an unsupported microversion carries the supported range. */
    public static ErrorBody microversionUnsupported(String requestId, String detail) {
        return new ErrorBody(List.of(new Item(requestId == null ? "" : requestId,
                "magnum.microversion-unsupported", 406, "Requested microversion is unsupported", detail,
                List.of(), Microversion.MAX.toString(), Microversion.MIN.toString())));
    }
}
