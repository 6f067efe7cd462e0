package io.baystack.api;

import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
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
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case NOT_AUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case NOT_ACCEPTABLE -> 406;
            case TOO_LARGE -> 413;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
        if (status >= 500) {
            LOG.errorf("%s %s: %s", id, status, e.getMessage());
        }
        RestResponse<ErrorBody> response = build(status, status == 406
                ? ErrorBody.microversionUnsupported(id, e.getMessage())
                : ErrorBody.of(id, status, e.getMessage()));
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
        Outage outage = outage(e);
        if (outage != null) {
            LOG.errorf("%s 503: %s: %s", id, outage.logged, e.getMessage());
            return build(503, ErrorBody.of(id, 503, outage.detail));
        }
        LOG.errorf(e, "%s 500", id);
        return build(500, ErrorBody.of(id, 500, "The server has either erred or is incapable of performing the requested operation."));
    }

    /** The two kinds of outage a client is told to retry after. */
    enum Outage {
        DATABASE("the database is unavailable", "The database is unavailable; try again later."),
        SERVICE("a backing service is unreachable", "A service baystack depends on is unavailable. Retry later.");

        final String logged;
        final String detail;

        Outage(String logged, String detail) {
            this.logged = logged;
            this.detail = detail;
        }
    }

    /**
     * Which outage a failure is, or null. A REST client (Heat, Keystone) wraps what its connection met in
     * a {@link ProcessingException}, so a refused connection under one is that service's; the same
     * failure without one is the database client's.
     */
    static Outage outage(Throwable e) {
        boolean viaClient = false;
        boolean network = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            viaClient |= t instanceof ProcessingException;
            network |= t instanceof SocketException || t instanceof TimeoutException;
        }
        if (viaClient && network) {
            return Outage.SERVICE;
        }
        if (DatabaseFaults.unavailable(e)) {
            return Outage.DATABASE;
        }
        return network ? Outage.SERVICE : null;
    }

    /** What a body Jackson could not read gets told, naming the field where there is one. */
    public static String describe(JsonProcessingException e) {
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
            if (m instanceof StrictStrings.WrongType w) {
                return "Invalid input for field/attribute " + field + ". Value: '" + Validation.printable(w.value())
                        + "'. Wrong type. Expected '" + w.expected() + "'.";
            }
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
