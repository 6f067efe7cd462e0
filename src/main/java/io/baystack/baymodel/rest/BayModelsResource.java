package io.baystack.baymodel.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.baystack.api.ApiRequest;
import io.baystack.baymodel.BayModelService;
import io.baystack.baymodel.ModelKind;
import io.baystack.config.BaystackConfig;

/** Models under their first name. */
@Path("/v1/baymodels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BayModelsResource extends ModelsResource {

    BayModelsResource(BayModelService service, ApiRequest request, BaystackConfig config, ModelPatch patches) {
        super(service, request, config, ModelKind.BAYMODEL, patches);
    }
}
