package io.baystack.bay;

/**
 * What {@link BayTransition#NODEGROUP_ACCEPTED} does to a cluster's extra worker group: the group as it
 * is to be (a new one, its new node_count and removals, the one to delete, or the one to upgrade) and how many minions the
 * bay's extra groups gain (negative: lose) by it.
 */
public record NodeGroupChange(Op op, NodeGroup group, int delta) {

    public enum Op { CREATE, RESIZE, DELETE, /** its own image dropped for its cluster's template's */ UPGRADE }
}
