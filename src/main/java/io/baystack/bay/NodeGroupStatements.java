package io.baystack.bay;

import java.util.Map;

import io.baystack.api.JsonColumns;

/**
 * The parts of a {@link TransitionStatement} that write a bay's extra worker groups in the same
 * statement as the bay row: a group created, resized or marked for deletion with the update that
 * carries it out, and every group in progress settled when that update ends. Each is a data-modifying
 * CTE on {@code changed} (the bay row the transition took), so nothing is written when the guard fails.
 */
final class NodeGroupStatements {

    private static final JsonColumns.StringList LIST = new JsonColumns.StringList();
    private static final JsonColumns.StringMap MAP = new JsonColumns.StringMap();

    private NodeGroupStatements() {
    }

    /** The bay row's own assignment: its extra groups' minions, by the change's delta. */
    static String bayAssignment(NodeGroupChange g, Map<String, Object> p) {
        p.put("group_delta", g.delta());
        return "group_nodes = b.group_nodes + :group_delta";
    }

    /** The CTE that writes the group. */
    static String change(NodeGroupChange g, Map<String, Object> p) {
        NodeGroup n = g.group();
        p.put("ng_uuid", n.uuid);
        return switch (g.op()) {
            case CREATE -> {
                p.put("ng_name", n.name);
                p.put("ng_role", n.role);
                p.put("ng_key", n.stackKey);
                p.put("ng_flavor", n.flavorId);
                p.put("ng_image", n.imageId);
                p.put("ng_count", n.nodeCount);
                p.put("ng_min", n.minNodeCount);
                p.put("ng_max", n.maxNodeCount);
                p.put("ng_volume", n.dockerVolumeSize);
                p.put("ng_labels", MAP.convertToDatabaseColumn(n.labels));
                p.put("ng_node_labels", MAP.convertToDatabaseColumn(n.nodeLabels));
                p.put("ng_taints", LIST.convertToDatabaseColumn(n.nodeTaints));
                yield "ng as (insert into nodegroup (uuid, bay_id, project_id, name, role, stack_key, flavor_id, image_id,"
                        + " node_count, min_node_count, max_node_count, docker_volume_size, labels, node_labels, node_taints,"
                        + " node_addresses, status, created_at) select :ng_uuid, c.id, c.project_id, :ng_name, :ng_role, :ng_key,"
                        + " cast(:ng_flavor as varchar), cast(:ng_image as varchar), :ng_count, :ng_min,"
                        + " cast(:ng_max as integer), cast(:ng_volume as integer), :ng_labels, :ng_node_labels, :ng_taints,"
                        + " '[]', 'CREATE_IN_PROGRESS', clock_timestamp() from changed c)";
            }
            case RESIZE -> {
                p.put("ng_count", n.nodeCount);
                p.put("ng_remove", n.minionsToRemove);
                yield "ng as (update nodegroup n set node_count = :ng_count, minions_to_remove = cast(:ng_remove as text),"
                        + " status = 'UPDATE_IN_PROGRESS', status_reason = null, updated_at = clock_timestamp()"
                        + " from changed c where n.bay_id = c.id and n.uuid = :ng_uuid)";
            }
            case UPGRADE -> "ng as (update nodegroup n set image_id = null, status = 'UPDATE_IN_PROGRESS', status_reason = null,"
                    + " updated_at = clock_timestamp() from changed c where n.bay_id = c.id and n.uuid = :ng_uuid)";
            case DELETE -> "ng as (update nodegroup n set status = 'DELETE_IN_PROGRESS', status_reason = null,"
                    + " updated_at = clock_timestamp() from changed c where n.bay_id = c.id and n.uuid = :ng_uuid)";
        };
    }

    /**
     * The CTEs that settle the bay's groups when its update ends ({@code changed.status} is where it
     * went): after UPDATE_COMPLETE a group in progress is *_COMPLETE, one being deleted goes; after any
     * other end (failed, rolled back, refused) it is *_FAILED with the bay's reason. Every remaining
     * group takes its addresses from the finished stack's outputs when they are known.
     */
    static String settle(Map<String, String> addresses, Map<String, Object> p) {
        // as text first: the client would send a String bound to jsonb as a JSON string
        p.put("ng_addresses", MAP.convertToDatabaseColumn(addresses));
        return "ng_gone as (delete from nodegroup n using changed c where n.bay_id = c.id and c.status = 'UPDATE_COMPLETE'"
                + " and n.status = 'DELETE_IN_PROGRESS'), ng_settled as (update nodegroup n set"
                + " status = case when n.status not like '%\\_IN\\_PROGRESS' then n.status"
                + " when c.status = 'UPDATE_COMPLETE' then replace(n.status, '_IN_PROGRESS', '_COMPLETE')"
                + " else replace(n.status, '_IN_PROGRESS', '_FAILED') end,"
                + " status_reason = case when n.status like '%\\_IN\\_PROGRESS' and c.status <> 'UPDATE_COMPLETE'"
                + " then c.status_reason else n.status_reason end,"
                + " minions_to_remove = case when n.status like '%\\_IN\\_PROGRESS' then null else n.minions_to_remove end,"
                + " node_addresses = coalesce(cast(cast(:ng_addresses as text) as jsonb) ->> n.stack_key, n.node_addresses),"
                + " updated_at = clock_timestamp() from changed c where n.bay_id = c.id"
                + " and not (c.status = 'UPDATE_COMPLETE' and n.status = 'DELETE_IN_PROGRESS'))";
    }
}
