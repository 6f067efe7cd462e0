package io.baystack.api;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;

import io.baystack.config.BaystackConfig;
import io.baystack.db.DatabaseFaults;
import io.baystack.keystone.KeystoneException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where failures become HTTP answers, always in Magnum's error body. Only 5xx are
 * logged as errors; no answer carries a stack trace or a class name.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Inject
    BaystackConfig config;

    @ServerExceptionMapper
    public RestResponse<ErrorBody> domain(BaystackException e, ContainerRequestContext ctx) {
        String id = requestId(ctx);
        if (e.kind() == BaystackException.Kind.NOT_ACCEPTABLE) {
            return build(406, ErrorBody.microversionUnsupported(id, e.getMessage()));
        }
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case NOT_AUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case NOT_ACCEPTABLE -> 406;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
        if (status >= 500) {
            LOG.errorf("%s %s: %s", id, status, e.getMessage());
        }
        RestResponse<ErrorBody> response = build(status, ErrorBody.of(id, status, e.getMessage()));
        if (status == 401) {
            // tells a client where to get a token, as keystonemiddleware does in front of Magnum
            response.getHeaders().putSingle("WWW-Authenticate", "Keystone uri=\"" + config.keystone().url() + "\"");
        }
        return response;
    }

    /** Keystone's failures, answered as Magnum answers them (401 with where to get a token, 403, 503). */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> identity(KeystoneException e, ContainerRequestContext ctx) {
        BaystackException.Kind kind = switch (e.kind()) {
            case UNAUTHORIZED -> BaystackException.Kind.NOT_AUTHENTICATED;
            case FORBIDDEN -> BaystackException.Kind.FORBIDDEN;
            case UNAVAILABLE -> BaystackException.Kind.UNAVAILABLE;
        };
        return domain(new BaystackException(kind, e.getMessage()), ctx);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> json(JsonProcessingException e, ContainerRequestContext ctx) {
        return build(400, ErrorBody.of(requestId(ctx), 400, describe(e)));
    }

    /** Named on its own: quarkus-rest-jackson ships a mapper for this type that answers an empty 400. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> mismatched(MismatchedInputException e, ContainerRequestContext ctx) {
        return json(e, ctx);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> web(WebApplicationException e, ContainerRequestContext ctx) {
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j, ctx);
        }
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "The resource could not be found.";
            case 405 -> "The method " + ctx.getMethod() + " is not allowed for this resource.";
            case 406 -> "The requested media type is not acceptable; this API speaks application/json.";
            case 413 -> "The request body is too large.";
            case 415 -> "The request body must be application/json.";
            default -> status >= 500 ? "The server could not complete the request." : "The request is not valid.";
        };
        if (status >= 500) {
            LOG.errorf(e, "%s %s", requestId(ctx), status);
        }
        return build(status, ErrorBody.of(requestId(ctx), status, detail));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unexpected(Throwable e, ContainerRequestContext ctx) {
        String id = requestId(ctx);
        if (DatabaseFaults.unavailable(e)) {
            LOG.errorf("%s 503: the database is unavailable: %s", id, e.getMessage());
            return build(503, ErrorBody.of(id, 503, "The database is unavailable; try again later."));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof TimeoutException) {
                LOG.errorf("%s 503: a backing service is unreachable: %s", id, t.getMessage());
                return build(503, ErrorBody.of(id, 503, "A service baystack depends on is unavailable. Retry later."));
            }
        }
        LOG.errorf(e, "%s 500", id);
        return build(500, ErrorBody.of(id, 500, "The server has either erred or is incapable of performing the requested operation."));
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return "Malformed JSON in the request body.";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown attribute: " + u.getPropertyName() + ".";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                    .collect(Collectors.joining("."));
            return "Invalid input for field/attribute " + field + ".";
        }
        if (e instanceof JsonMappingException) {
            return "The request body does not have the expected structure.";
        }
        return "Malformed JSON in the request body.";
    }

    private static RestResponse<ErrorBody> build(int status, ErrorBody body) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static String requestId(ContainerRequestContext ctx) {
        Object id = ctx == null ? null : ctx.getProperty(ApiFilters.REQUEST_ID_PROPERTY);
        return id == null ? "" : id.toString();
    }
}
