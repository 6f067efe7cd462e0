package io.baystack.api;

/** What the API calls a kind of object, in messages and paths: a bay or, by today's name, a cluster. */
public record Noun(String singular, String plural) {

    public static final Noun BAY = new Noun("Bay", "bays");
    public static final Noun CLUSTER = new Noun("Cluster", "clusters");
    public static final Noun BAYMODEL = new Noun("BayModel", "baymodels");
    public static final Noun CLUSTER_TEMPLATE = new Noun("ClusterTemplate", "clustertemplates");
    public static final Noun QUOTA = new Noun("Quota", "quotas");

    public BaystackException notFound(String ident) {
        return BaystackException.notFound(singular + " " + ident + " could not be found.");
    }
}
