package io.baystack.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.baystack.support.FastTier;
import io.baystack.support.LocalCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every error code of the node-group, resize, upgrade, credential and quota-list routes, each in Magnum's
 * body ({@code errors[0]}: status, code, title, detail naming why). No Heat: a cluster stays as the API
 * stored it, and the statuses a refusal depends on are set in PostgreSQL.
 */
@FastTier
@QuarkusTest
class Magnum2026ErrorsTest {

    @Inject
    Pool pool;

    private static RequestSpecification api() {
        return at("latest");
    }

    private static RequestSpecification at(String version) {
        return Api.asDemo().header("OpenStack-API-Version", "container-infra " + version);
    }

    private static RequestSpecification admin() {
        return Api.as(LocalCloud.ADMIN).header("OpenStack-API-Version", "container-infra latest");
    }

    /** The error's status and detail, in Magnum's body. */
    private static ValidatableResponse refused(ValidatableResponse response, int status, String detail) {
        return response.statusCode(status).contentType(ContentType.JSON)
                .body("errors", hasSize(1))
                .body("errors[0].status", equalTo(status))
                .body("errors[0].code", equalTo(status >= 500 ? "server" : "client"))
                .body("errors[0].request_id", notNullValue())
                .body("errors[0].title", notNullValue())
                .body("errors[0].links", empty())
                .body("errors[0].detail", containsString(detail));
    }

    private static Map<String, Object> templateBody(String name) {
        Map<String, Object> t = new HashMap<>(Api.baymodel(name, "debian-12"));
        t.remove("keypair_id");
        return t;
    }

    private static String template() {
        return api().body(templateBody(Api.unique("cte"))).post("/v1/clustertemplates").then().statusCode(201)
                .extract().path("uuid");
    }

    private static String kubeTemplate(String kubeTag) {
        Map<String, Object> body = templateBody(Api.unique("ctk"));
        body.put("labels", Map.of("kube_tag", kubeTag));
        return api().body(body).post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
    }

    private static String cluster(String template, String name, int nodeCount) {
        return api().body(Map.of("name", name, "cluster_template_id", template, "node_count", nodeCount))
                .post("/v1/clusters").then().statusCode(202).extract().path("uuid");
    }

    /** A cluster its stack finished: {@code status}, with a stack and nothing pending. */
    private void settle(String cluster, String status) {
        sql("update bay set status = $2, pending_op = null, stack_id = coalesce(stack_id, $3) where uuid = $1",
                cluster, status, UUID.randomUUID().toString());
    }

    private void groupStatus(String group, String status) {
        sql("update nodegroup set status = $2 where uuid = $1", group, status);
    }

    private void sql(String statement, Object... args) {
        int rows = pool.preparedQuery(statement).execute(Tuple.tuple(List.of(args))).await().atMost(Duration.ofSeconds(30))
                .rowCount();
        if (rows != 1) {
            throw new AssertionError(rows + " rows for " + statement);
        }
    }

    /** A CREATE_COMPLETE cluster with one extra worker group of {@code nodes} nodes, both settled; answers both uuids. */
    private String[] clusterWithGroup(String group, int nodes) {
        String cluster = cluster(template(), Api.unique("ng"), 1);
        settle(cluster, "CREATE_COMPLETE");
        String uuid = api().body(Map.of("name", group, "node_count", nodes)).post("/v1/clusters/" + cluster + "/nodegroups")
                .then().statusCode(202).body("name", equalTo(group)).body("node_count", equalTo(nodes))
                .extract().path("uuid");
        settle(cluster, "UPDATE_COMPLETE");
        groupStatus(uuid, "CREATE_COMPLETE");
        return new String[] { cluster, uuid };
    }

    // ---- GET /v1/clusters/{c}/nodegroups (and /detail)

    @Test
    void theNodeGroupListRefusesBadPagingAnUnknownMarkerAndAnUnknownCluster() {
        String cluster = cluster(template(), Api.unique("ngl"), 1);
        String groups = "/v1/clusters/" + cluster + "/nodegroups";
        refused(api().get(groups + "?limit=x").then(), 400, "Invalid input for field/attribute limit.")
                .body("errors[0].detail", containsString("Wrong type. Expected 'integer'."));
        refused(api().get(groups + "?limit=0").then(), 400,
                "Invalid input for field/attribute limit. Value: '0'. Value should be greater or equal to 1.");
        refused(api().get(groups + "/detail?limit=-3").then(), 400, "Value should be greater or equal to 1.");
        refused(api().get(groups + "?sort_dir=sideways").then(), 400,
                "Invalid sort direction: sideways. Acceptable values are 'asc' or 'desc'");
        refused(api().get(groups + "?sort_key=flavor_id").then(), 400,
                "The sort_key value \"flavor_id\" is an internal attribute or not a node group's.");
        String marker = UUID.randomUUID().toString();
        refused(api().get(groups + "?marker=" + marker).then(), 404, "Nodegroup " + marker + " could not be found.");
        refused(api().get(groups + "/detail?marker=" + marker).then(), 404, "Nodegroup " + marker + " could not be found.");
        refused(api().get(groups + "/no-such-group").then(), 404, "Nodegroup no-such-group could not be found.");
        // a cluster that is not there (or not the caller's)
        String missing = Api.unique("no-cluster");
        refused(api().get("/v1/clusters/" + missing + "/nodegroups").then(), 404, "Cluster " + missing + " could not be found.");
        refused(api().get("/v1/clusters/" + missing + "/nodegroups/detail").then(), 404, "Cluster " + missing + " could not be found.");
        refused(api().get("/v1/clusters/" + missing + "/nodegroups/default-worker").then(), 404,
                "Cluster " + missing + " could not be found.");
        refused(Api.as(LocalCloud.ALT).header("OpenStack-API-Version", "container-infra latest").get(groups).then(), 404,
                "Cluster " + cluster + " could not be found.");
    }

    @Test
    void theDetailListShowsEveryFieldAndPagesWithANextLink() {
        String cluster = cluster(template(), Api.unique("ngd"), 1);
        String groups = "/v1/clusters/" + cluster + "/nodegroups";
        api().get(groups + "/detail").then().statusCode(200)
                .body("nodegroups", hasSize(2))
                .body("nodegroups.name", equalTo(List.of("default-master", "default-worker")))
                .body("nodegroups[1].cluster_id", equalTo(cluster))
                .body("nodegroups[1]", hasKey("node_labels"))
                .body("nodegroups[1]", hasKey("node_taints"))
                .body("nodegroups[1]", hasKey("labels"))
                .body("nodegroups[1]", hasKey("docker_volume_size"))
                .body("nodegroups[1]", hasKey("status_reason"))
                .body("nodegroups[1].is_default", equalTo(true))
                .body("$", not(hasKey("next")));
        // the summary list leaves the detail out
        api().get(groups).then().statusCode(200).body("nodegroups", hasSize(2))
                .body("nodegroups[0]", not(hasKey("cluster_id")));
        String first = api().get(groups + "/detail?limit=1").then().statusCode(200)
                .body("nodegroups", hasSize(1)).body("nodegroups[0].name", equalTo("default-master"))
                .body("nodegroups[0].cluster_id", equalTo(cluster))
                .body("next", containsString("/v1/clusters/" + cluster + "/nodegroups/detail?limit=1&marker="))
                .extract().path("nodegroups[0].uuid");
        String next = api().get(groups + "/detail?limit=1").then().extract().path("next");
        api().get(next.replaceFirst("^https?://[^/]+", "")).then().statusCode(200)
                .body("nodegroups", hasSize(1)).body("nodegroups[0].name", equalTo("default-worker"))
                .body("nodegroups[0].uuid", not(equalTo(first)))
                .body("$", not(hasKey("next")));
    }

    @Test
    void belowOnePointNineTheNodeGroupRoutesDoNotExist() {
        String cluster = cluster(template(), Api.unique("ng18"), 1);
        String groups = "/v1/clusters/" + cluster + "/nodegroups";
        refused(at("1.8").get(groups).then(), 404, "The resource could not be found.");
        refused(at("1.8").get(groups + "/default-worker").then(), 404, "The resource could not be found.");
        refused(at("1.8").body(Map.of("name", "late")).post(groups).then(), 404, "The resource could not be found.");
        refused(at("1.8").body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 3)))
                .patch(groups + "/default-worker").then(), 404, "The resource could not be found.");
        refused(at("1.8").delete(groups + "/default-worker").then(), 404, "The resource could not be found.");
        // nothing was made
        api().get(groups).then().statusCode(200).body("nodegroups", hasSize(2));
    }

    @Test
    void anAmbiguousClusterNameIs409ForItsNodeGroupsAndItsCredentials() {
        String template = template();
        String name = Api.unique("twin");
        cluster(template, name, 1);
        cluster(template, name, 1); // the API takes a second cluster of the same name, as Magnum
        String same = "Multiple clusters exist with same name. Please use the cluster uuid instead.";
        refused(api().get("/v1/clusters/" + name + "/nodegroups").then(), 409, same);
        refused(api().get("/v1/clusters/" + name + "/nodegroups/default-worker").then(), 409, same);
        refused(api().body(Map.of("name", "extra")).post("/v1/clusters/" + name + "/nodegroups").then(), 409, same);
        refused(at("1.12").patch("/v1/credentials/" + name).then(), 409, same);
    }

    // ---- POST /v1/clusters/{c}/nodegroups

    @Test
    void aNodeGroupCreateIsRefusedNamingTheField() {
        String cluster = cluster(template(), Api.unique("ngc"), 1);
        String groups = "/v1/clusters/" + cluster + "/nodegroups";
        refused(api().body("null").post(groups).then(), 400,
                "The request body must be a JSON object describing the node group.");
        refused(api().body(Map.of("node_count", 1)).post(groups).then(), 400,
                "Invalid input for field/attribute name. Mandatory field missing.");
        refused(api().body(Map.of("name", "a".repeat(256))).post(groups).then(), 400,
                "Invalid input for field/attribute name.")
                .body("errors[0].detail", containsString("Must be 1 to 255 characters long."));
        refused(api().body(Map.of("name", "vol", "docker_volume_size", 0)).post(groups).then(), 400,
                "Invalid input for field/attribute docker_volume_size. Value: '0'. Value should be greater or equal to 1.");
        refused(api().body(Map.of("name", "neg", "node_count", -1)).post(groups).then(), 400,
                "Invalid input for field/attribute node_count. Value: '-1'. Value should be greater or equal to 0.");
        // node_labels are what the kubelet registers the nodes with: Kubernetes labels, outside its reserved namespaces
        refused(api().body(Map.of("name", "lbl", "node_labels", Map.of("bad key", "x"))).post(groups).then(), 400,
                "node_labels: 'bad key' is not a Kubernetes label name");
        String tooLong = "v".repeat(64);
        refused(api().body(Map.of("name", "lbl", "node_labels", Map.of("disk", tooLong))).post(groups).then(), 400,
                "node_labels: the value of 'disk' ('" + tooLong + "') is not a Kubernetes label value");
        refused(api().body(Map.of("name", "lbl", "node_labels", Map.of("node-role.kubernetes.io/worker", ""))).post(groups)
                .then(), 400, "node_labels: 'node-role.kubernetes.io/worker' is in the node-role.kubernetes.io namespace,"
                        + " which a kubelet may not set on its node");
        refused(api().body(Map.of("name", "lbl", "node_labels", Map.of("magnum.openstack.org/role", "gpu"))).post(groups)
                .then(), 400, "node_labels: 'magnum.openstack.org/role' is in the magnum.openstack.org namespace,"
                        + " whose role and nodegroup labels baystack sets on every node.");
        // none of them was stored
        api().get(groups).then().statusCode(200).body("nodegroups", hasSize(2));
    }

    @Test
    void validNodeLabelsAreTakenAndShown() {
        String cluster = cluster(template(), Api.unique("ngok"), 1);
        settle(cluster, "CREATE_COMPLETE");
        String groups = "/v1/clusters/" + cluster + "/nodegroups";
        Map<String, String> labels = Map.of("disk", "ssd", "example.com/tier", "gold");
        String uuid = api().body(Map.of("name", "labelled", "node_labels", labels)).post(groups).then().statusCode(202)
                .body("name", equalTo("labelled")).body("is_default", equalTo(false))
                .body("status", equalTo("CREATE_IN_PROGRESS")).body("node_labels", equalTo(labels))
                .extract().path("uuid");
        api().get(groups + "/" + uuid).then().statusCode(200).body("node_labels", equalTo(labels));
        api().get(groups + "/labelled").then().statusCode(200).body("uuid", equalTo(uuid));
        api().get("/v1/clusters/" + cluster).then().statusCode(200).body("status", equalTo("UPDATE_IN_PROGRESS"));
    }

    // ---- PATCH /v1/clusters/{c}/nodegroups/{ng}

    @Test
    void aNodeGroupPatchIsRefusedForBadBoundsValuesAndPatchesAndOnADefaultGroup() {
        String[] made = clusterWithGroup("pg", 1);
        String group = "/v1/clusters/" + made[0] + "/nodegroups/pg";
        refused(api().body(List.of(Map.of("op", "replace", "path", "/min_node_count", "value", 5),
                Map.of("op", "replace", "path", "/max_node_count", "value", 2))).patch(group).then(), 400,
                "max_node_count 2 is less than min_node_count 5.");
        refused(api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 0))).patch(group).then(), 400,
                "node_count 1 is not between min_node_count 0 and max_node_count 0.");
        refused(api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", "many"))).patch(group).then(),
                400, "Invalid input for field/attribute max_node_count.")
                .body("errors[0].detail", containsString("Wrong type. Expected 'integer'."));
        refused(api().body(List.of(Map.of("op", "bogus", "path", "/max_node_count", "value", 3))).patch(group).then(), 400,
                "Invalid patch operation: 'bogus'. The operations supported are add, replace and remove.");
        refused(api().body(Map.of("op", "replace", "path", "/max_node_count", "value", 3)).patch(group).then(), 400,
                "The request body does not have the expected structure.");
        refused(api().body(List.of()).patch(group).then(), 400,
                "The request body must be a non-empty JSON-patch list of operations.");
        refused(api().body(List.of(Map.of("op", "replace", "path", "/node_count", "value", 3))).patch(group).then(), 400,
                "Cannot update node group property(ies) node_count");
        // a default group's bounds are the cluster's
        refused(api().body(List.of(Map.of("op", "replace", "path", "/min_node_count", "value", 0)))
                .patch("/v1/clusters/" + made[0] + "/nodegroups/default-worker").then(), 400,
                "The bounds of a default node group (default-worker) cannot be changed in baystack");
        refused(api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 3)))
                .patch("/v1/clusters/" + made[0] + "/nodegroups/nope").then(), 404, "Nodegroup nope could not be found.");
        // none of them changed it; a good one does
        api().get(group).then().statusCode(200).body("min_node_count", equalTo(0)).body("max_node_count", equalTo(null));
        api().body(List.of(Map.of("op", "replace", "path", "/max_node_count", "value", 3))).patch(group).then()
                .statusCode(202).body("max_node_count", equalTo(3)).body("uuid", equalTo(made[1]));
    }

    // ---- DELETE /v1/clusters/{c}/nodegroups/{ng}

    @Test
    void aNodeGroupDeleteIsRefusedWhileTheClusterIsBusyAndForAnUnknownCluster() {
        String[] made = clusterWithGroup("dg", 1);
        String groups = "/v1/clusters/" + made[0] + "/nodegroups";
        settle(made[0], "CREATE_IN_PROGRESS");
        refused(api().delete(groups + "/dg").then(), 400,
                "Changing the node groups of a cluster when status is \"CREATE_IN_PROGRESS\" is not supported");
        api().get(groups + "/dg").then().statusCode(200).body("status", equalTo("CREATE_COMPLETE"));
        refused(api().delete(groups + "/default-worker").then(), 400,
                "Deleting a default node group (default-worker) is not supported.");
        refused(api().delete(groups + "/nope").then(), 404, "Nodegroup nope could not be found.");
        String missing = Api.unique("no-cluster");
        refused(api().delete("/v1/clusters/" + missing + "/nodegroups/dg").then(), 404,
                "Cluster " + missing + " could not be found.");
    }

    // ---- POST /v1/clusters/{c}/actions/resize

    @Test
    void aResizeIsRefusedForABadBodyAnUnknownOrDeletedGroupAndNodesItDoesNotRemove() {
        String[] made = clusterWithGroup("rz", 2);
        String resize = "/v1/clusters/" + made[0] + "/actions/resize";
        refused(api().body("null").post(resize).then(), 400, "The request body must be a JSON object with node_count.");
        refused(api().body(Map.of("nodegroup", "rz")).post(resize).then(), 400,
                "Invalid input for field/attribute node_count. Mandatory field missing.");
        refused(api().body(Map.of()).post(resize).then(), 400,
                "Invalid input for field/attribute node_count. Mandatory field missing.");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "nope")).post(resize).then(), 404,
                "Nodegroup nope could not be found.");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "rz", "nodes_to_remove", List.of("0", "1"))).post(resize)
                .then(), 400, "nodes_to_remove names 2 nodes but node_count 2 -> 1 removes 1.");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "rz", "nodes_to_remove", List.of("not-a-node"))).post(resize)
                .then(), 400, "nodes_to_remove: 'not-a-node' is not a node of node group rz");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "default-master")).post(resize).then(), 400,
                "Resizing a master node group is not supported");
        groupStatus(made[1], "DELETE_IN_PROGRESS");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "rz")).post(resize).then(), 400,
                "Node group rz is being deleted (DELETE_IN_PROGRESS).");
        // nothing was accepted
        api().get("/v1/clusters/" + made[0]).then().statusCode(200).body("status", equalTo("UPDATE_COMPLETE"));
        String missing = Api.unique("no-cluster");
        refused(api().body(Map.of("node_count", 1, "nodegroup", "rz")).post("/v1/clusters/" + missing + "/actions/resize")
                .then(), 404, "Cluster " + missing + " could not be found.");
    }

    @Test
    void aResizeOfTheDefaultWorkersRefusesNodesItDoesNotRemove() {
        String cluster = cluster(template(), Api.unique("rzd"), 2);
        settle(cluster, "CREATE_COMPLETE");
        String resize = "/v1/clusters/" + cluster + "/actions/resize";
        refused(api().body(Map.of("node_count", 1, "nodes_to_remove", List.of("0", "1"))).post(resize).then(), 400,
                "nodes_to_remove names 2 minions but node_count 2 -> 1 removes 1.");
        refused(api().body(Map.of("node_count", 1, "nodes_to_remove", List.of("bogus"))).post(resize).then(), 400,
                "nodes_to_remove: 'bogus' is not a minion of " + cluster);
        api().get("/v1/clusters/" + cluster).then().statusCode(200).body("status", equalTo("CREATE_COMPLETE"))
                .body("node_count", equalTo(2));
    }

    // ---- POST /v1/clusters/{c}/actions/upgrade

    @Test
    void anUpgradeIsRefusedForABadBodyAHiddenTemplateAnotherCoeAnImageNotInGlanceAndAnUnknownCluster() {
        String current = template();
        String cluster = cluster(current, Api.unique("up"), 1);
        settle(cluster, "CREATE_COMPLETE");
        String upgrade = "/v1/clusters/" + cluster + "/actions/upgrade";
        String target = template();
        refused(at("1.7").body(Map.of("cluster_template", target)).post(upgrade).then(), 404,
                "The resource could not be found.");
        refused(api().body("null").post(upgrade).then(), 400, "The request body must be a JSON object with cluster_template.");
        refused(api().body(Map.of("max_batch_size", 1)).post(upgrade).then(), 400,
                "Invalid input for field/attribute cluster_template. Mandatory field missing.");
        refused(api().body(Map.of("cluster_template", "no-such-template")).post(upgrade).then(), 400,
                "ClusterTemplate no-such-template could not be found.");
        refused(api().body(Map.of("cluster_template", current)).post(upgrade).then(), 400,
                "already uses cluster template " + current);
        // a node group only to its cluster's own template; a default group is the cluster's own; an unknown one is not there
        refused(api().body(Map.of("cluster_template", target, "nodegroup", "default-worker")).post(upgrade).then(), 400,
                "can be upgraded only to its cluster's template");
        refused(api().body(Map.of("cluster_template", current, "nodegroup", "default-worker")).post(upgrade).then(), 400,
                "is the cluster's own and runs its template");
        refused(api().body(Map.of("cluster_template", current, "nodegroup", "nope")).post(upgrade).then(), 404,
                "Nodegroup nope could not be found.");
        refused(api().body(Map.of("cluster_template", current, "nodegroup", "default-worker", "max_batch_size", 0))
                .post(upgrade).then(), 400, "max_batch_size");

        // a hidden template is an admin's to upgrade to
        Map<String, Object> hiddenBody = new HashMap<>(Api.baymodel(Api.unique("hid"), "debian-12"));
        hiddenBody.put("public", true);
        hiddenBody.put("hidden", true);
        String hidden = admin().body(hiddenBody).post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
        refused(api().body(Map.of("cluster_template", hidden)).post(upgrade).then(), 403,
                "ClusterTemplate " + hidden + " is hidden: only an admin may upgrade a cluster to it.");

        // another coe
        Map<String, Object> swarmBody = templateBody(Api.unique("swarm"));
        swarmBody.put("coe", "swarm");
        String swarm = api().body(swarmBody).post("/v1/clustertemplates").then().statusCode(201).extract().path("uuid");
        refused(api().body(Map.of("cluster_template", swarm)).post(upgrade).then(), 400,
                "Cluster template " + swarm + " is for coe swarm, not kubernetes: a cluster cannot be upgraded to another coe.");

        // a Kubernetes release kubeadm cannot reach from the cluster's (the default, v1.34.2): a skipped minor, a downgrade
        refused(api().body(Map.of("cluster_template", kubeTemplate("v1.36.0"))).post(upgrade).then(), 400,
                "The cluster runs Kubernetes v1.34.2 and cannot go to v1.36.0 at once: kubeadm upgrades one minor release"
                        + " at a time (to v1.35 first).");
        refused(api().body(Map.of("cluster_template", kubeTemplate("v1.34.1"))).post(upgrade).then(), 400,
                "The cluster runs Kubernetes v1.34.2 and cannot go to v1.34.1: kubeadm upgrades forward only, within a major"
                        + " release.");
        refused(api().body(Map.of("cluster_template", kubeTemplate("v2.35.0"))).post(upgrade).then(), 400,
                "cannot go to v2.35.0: kubeadm upgrades forward only, within a major release.");

        // an image Glance does not have (a template's create checks it: changed in the row)
        String gone = template();
        String image = Api.unique("no-such-image");
        sql("update baymodel set image_id = $2 where uuid = $1", gone, image);
        refused(api().body(Map.of("cluster_template", gone)).post(upgrade).then(), 400, "Image " + image + " could not be found.");

        // none of them was accepted
        api().get("/v1/clusters/" + cluster).then().statusCode(200).body("status", equalTo("CREATE_COMPLETE"))
                .body("cluster_template_id", equalTo(current));
        String missing = Api.unique("no-cluster");
        refused(api().body(Map.of("cluster_template", target)).post("/v1/clusters/" + missing + "/actions/upgrade").then(),
                404, "Cluster " + missing + " could not be found.");
        // the cluster in progress cannot be upgraded
        settle(cluster, "UPDATE_IN_PROGRESS");
        refused(api().body(Map.of("cluster_template", target)).post(upgrade).then(), 400,
                "Upgrading a cluster when status is \"UPDATE_IN_PROGRESS\" is not supported");
    }

    // ---- PATCH /v1/credentials/{c}

    @Test
    void aCredentialRotationIsRefusedForAnUnknownClusterAndWithoutAToken() {
        String missing = Api.unique("no-cluster");
        refused(at("1.12").patch("/v1/credentials/" + missing).then(), 404, "Cluster " + missing + " could not be found.");
        refused(at("1.11").patch("/v1/credentials/" + missing).then(), 404, "The resource could not be found.");
        refused(given().header("OpenStack-API-Version", "container-infra 1.12").accept(ContentType.JSON)
                .patch("/v1/credentials/" + missing).then(), 401, "The request you have made requires authentication.")
                .header("WWW-Authenticate", containsString("Keystone uri="));
    }

    // ---- GET /v1/quotas

    @Test
    void theQuotaListIsAnAdminsAndRefusesBadPagingAndAnUnknownMarker() {
        refused(Api.asDemo().get("/v1/quotas").then(), 403, "Policy doesn't allow quota:get_all to be performed.");
        // the policy first, as Magnum: a non-admin's paging is not looked at
        refused(Api.asDemo().get("/v1/quotas?limit=x").then(), 403, "Policy doesn't allow quota:get_all to be performed.");
        refused(Api.asDemo().get("/v1/quotas/detail?sort_key=bogus").then(), 403, "Policy doesn't allow quota:get_all to be performed.");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?limit=x").then(), 400,
                "Invalid input for query parameter limit. Value: 'x'. Wrong type. Expected 'integer'.");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?limit=0").then(), 400, "Limit must be positive");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?sort_key=bogus").then(), 400,
                "The sort_key value \"bogus\" is an invalid field for sorting");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?sort_dir=up").then(), 400,
                "Invalid sort direction: up. Acceptable values are 'asc' or 'desc'");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?all_tenants=1&marker=999999999").then(), 404,
                "Quota 999999999 could not be found.");
        refused(Api.as(LocalCloud.ADMIN).get("/v1/quotas?marker=x").then(), 400,
                "Invalid input for query parameter marker. Value: 'x'. Wrong type. Expected 'integer'.");
        Api.as(LocalCloud.ADMIN).get("/v1/quotas?limit=5&sort_key=project_id&sort_dir=desc").then().statusCode(200)
                .body("$", hasKey("quotas"));
    }
}
