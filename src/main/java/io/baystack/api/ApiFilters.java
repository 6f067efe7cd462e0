package io.baystack.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.baystack.keystone.TokenValidator;
import io.baystack.observability.BayLog;
import io.smallrye.mutiny.Uni;

/**
 * What every request goes through, in Magnum's order: a request id, then the token (public routes
 * excepted), then the microversion; and on the way out the request id and microversion headers.
 */
public class ApiFilters {

    public static final String AUTH_TOKEN = "X-Auth-Token";
    public static final String REQUEST_ID = "X-OpenStack-Request-Id";
    static final String REQUEST_ID_PROPERTY = "baystack.request-id";

    /** The largest request body baystack reads. */
    static final long MAX_BODY = 1024 * 1024;

    @Inject
    ApiRequest request;
    @Inject
    TokenValidator tokens;

    @ServerRequestFilter(preMatching = true)
    public void assignRequestId(ContainerRequestContext ctx) {
        String id = BayLog.newRequestId();
        ctx.setProperty(REQUEST_ID_PROPERTY, id);
        request.requestId(id);
        BayLog.useRequestId(id);
    }

    /**
     * Only a body has a media type worth checking: a request without one loses its Content-Type here,
     * before the resources' {@code @Consumes} is matched against it (load tools such as {@code hey} send
     * {@code text/html} on every GET, which would otherwise be a 415).
     */
    @ServerRequestFilter(preMatching = true)
    public void ignoreTypeWithoutBody(ContainerRequestContext ctx) {
        if (!hasBody(ctx.getMethod(), ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                ctx.getHeaderString("Transfer-Encoding"))) {
            ctx.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        }
    }

    /** GET, HEAD, DELETE and OPTIONS are never read for a body; others have one when its length or chunking says so. */
    static boolean hasBody(String method, String length, String transferEncoding) {
        return switch (method) {
            case "GET", "HEAD", "DELETE", "OPTIONS" -> false;
            default -> transferEncoding != null || (length != null && !length.trim().equals("0"));
        };
    }

    /**
     * Bodies over {@link #MAX_BODY} are refused here, in Magnum's error body (the HTTP server's own,
     * larger cap answers a bare 413 for what does not declare its length).
     */
    // after matching, so the body has been read: refusing earlier breaks the client's pipe mid-send
    @ServerRequestFilter(priority = 1)
    public void limitBody(ContainerRequestContext ctx) {
        String length = ctx.getHeaderString("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY) {
            throw new BaystackException(BaystackException.Kind.TOO_LARGE,
                    "The request body is larger than " + MAX_BODY + " bytes.");
        }
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext ctx) {
        if (isPublic(ctx.getUriInfo().getPath())) {
            return Uni.createFrom().voidItem();
        }
        String token = ctx.getHeaderString(AUTH_TOKEN);
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(
                    BaystackException.notAuthenticated("The request you have made requires authentication."));
        }
        return tokens.validate(token.trim()).invoke(caller -> {
            request.caller(caller);
            request.microversion(Microversion.parse(ctx.getHeaderString(Microversion.HEADER)));
        }).replaceWithVoid();
    }

    @ServerResponseFilter
    public void addHeaders(ContainerRequestContext req, ContainerResponseContext resp) {
        Object id = req.getProperty(REQUEST_ID_PROPERTY);
        if (id != null) {
            resp.getHeaders().putSingle(REQUEST_ID, id);
        }
        if (req.getUriInfo().getPath().startsWith("/v1")) {
            resp.getHeaders().putSingle("OpenStack-API-Minimum-Version", Microversion.SERVICE + " " + Microversion.MIN);
            resp.getHeaders().putSingle("OpenStack-API-Maximum-Version", Microversion.SERVICE + " " + Microversion.MAX);
            resp.getHeaders().putSingle(Microversion.HEADER, Microversion.SERVICE + " " + request.microversion());
            resp.getHeaders().putSingle("Vary", Microversion.HEADER);
        }
    }

    /**
     * {@code /} and {@code /v1} describe the API to anyone, as in Magnum; {@code /functions/} are the
     * CloudEvent entry points Knative Eventing calls (off unless enabled, cluster-local when on);
     * {@code /bootstrap/} is where a bay's master fetches its CA key with its one-time token.
     */
    static boolean isPublic(String path) {
        return path.isEmpty() || path.equals("/") || path.equals("/v1") || path.equals("/v1/")
                || path.startsWith("/functions/") || path.startsWith("/bootstrap/");
    }
}
