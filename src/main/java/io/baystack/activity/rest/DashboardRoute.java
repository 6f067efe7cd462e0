package io.baystack.activity.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The live page is static (META-INF/resources/dashboard/, served without a token; the API it calls
 * is not): {@code /dashboard} leads to its index. The Location is relative, so a proxy's path prefix
 * survives.
 */
@ApplicationScoped
public class DashboardRoute {

    void route(@Observes Router router) {
        // Vert.x matches "/dashboard/" here too: that one is the static index's
        router.get("/dashboard").handler(rc -> {
            if (rc.request().path().endsWith("/")) {
                rc.next();
            } else {
                rc.response().setStatusCode(301).putHeader("Location", "dashboard/").end();
            }
        });
    }
}
