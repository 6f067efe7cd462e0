package io.baystack.baymodel.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.baystack.api.ApiRequest;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;
import io.baystack.config.BaystackConfig;

/** Models under today's name, as the stock clients call them. */
@Path("/v1/clustertemplates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClusterTemplatesResource extends ModelsResource {

    ClusterTemplatesResource(BayModelService service, ApiRequest request, BaystackConfig config, ModelPatch patches) {
        super(service, request, config, ModelKind.CLUSTER_TEMPLATE, patches);
    }
}
