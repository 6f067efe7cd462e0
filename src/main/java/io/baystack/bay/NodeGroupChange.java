package io.baystack.bay;

/**
 * What {@link BayTransition#NODEGROUP_ACCEPTED} does to a cluster's extra worker group: the group as it
 * is to be (a new one, its new node_count and removals, or the one to delete) and how many minions the
 * bay's extra groups gain (negative: lose) by it.
 */
public record NodeGroupChange(Op op, NodeGroup group, int delta) {

    public enum Op { CREATE, RESIZE, DELETE }
}
