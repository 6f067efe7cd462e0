package io.baystack.baymodel;

import io.baystack.api.Noun;

/** The two names of a model, with the few rules in which Zed's bay models and cluster templates differ. */
public enum ModelKind {
    BAYMODEL(Noun.BAYMODEL, Noun.BAY, true, false, false),
    CLUSTER_TEMPLATE(Noun.CLUSTER_TEMPLATE, Noun.CLUSTER, false, true, true);

    public final Noun noun;
    /** What its users are called ("bays" or "clusters"), for the in-use message. */
    public final Noun users;
    final boolean keypairRequired;
    /** dns_nameserver: one IPv4 address, or a comma list of them. */
    final boolean dnsList;
    /** labels: text values only, or any scalar (kept as text). */
    final boolean scalarLabels;
    /** Whether the API shows project_id and user_id. */
    public final boolean showsOwner;
    /** Whether it has Magnum's {@code driver} field (cluster templates, Magnum 18.0+). */
    public final boolean hasDriver;

    ModelKind(Noun noun, Noun users, boolean keypairRequired, boolean dnsList, boolean scalarLabels) {
        this.noun = noun;
        this.users = users;
        this.keypairRequired = keypairRequired;
        this.dnsList = dnsList;
        this.scalarLabels = scalarLabels;
        this.showsOwner = dnsList;
        this.hasDriver = noun == Noun.CLUSTER_TEMPLATE;
    }
}
