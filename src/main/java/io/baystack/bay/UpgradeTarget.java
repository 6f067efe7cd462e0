package io.baystack.bay;

import io.baystack.api.BaystackException;
import io.baystack.api.Noun;
import io.baystack.api.Validation;
import io.baystack.baymodel.BayModel;
import io.baystack.baymodel.BayModelRepository;
import io.baystack.keystone.Caller;
import io.smallrye.mutiny.Uni;

/**
 * What an upgrade request names, checked the same way for a cluster and for one of its node groups
 * (Magnum's {@code actions/upgrade}, with or without {@code nodegroup}): the template is mandatory, the
 * batch at least 1 (1 when not given), and a template the caller cannot see is a 400, not a 404.
 */
record UpgradeTarget(String template, int batch) {

    static UpgradeTarget of(String template, Integer maxBatchSize) {
        if (template == null || template.isBlank()) {
            throw BaystackException.invalid("Invalid input for field/attribute cluster_template. Mandatory field missing.");
        }
        Validation.atLeast("max_batch_size", maxBatchSize, 1);
        return new UpgradeTarget(template, maxBatchSize == null ? 1 : maxBatchSize);
    }

    /** The template, as the caller sees it (within the caller's session). */
    Uni<BayModel> find(BayModelRepository models, Caller caller) {
        return models.findVisible(template, caller, Noun.CLUSTER_TEMPLATE)
                .onFailure(BaystackException.class).transform(e -> ((BaystackException) e).kind() == BaystackException.Kind.NOT_FOUND
                        ? BaystackException.invalid(e.getMessage()) : e);
    }
}
