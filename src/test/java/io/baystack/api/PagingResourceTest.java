package io.baystack.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.baystack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.baystack.support.FastTier;

/** limit / marker / sort_key / sort_dir and the next link, on bays and bay models. */
@FastTier
@QuarkusTest
class PagingResourceTest {

    @Test
    void walkingTheNextLinksGivesTheSameBaysInTheSameOrder() {
        String model = Api.createBaymodel(Api.unique("page"), "debian-12");
        for (int i = 0; i < 3; i++) {
            Api.createBay(Api.unique("page"), model, 1);
        }
        // the newest ten in one page, then the same walked two at a time (earlier classes of this boot
        // leave bays too, so the walk is bounded)
        List<String> head = Api.asDemo().get("/v1/bays?sort_key=created_at&sort_dir=desc&limit=10")
                .then().statusCode(200).extract().jsonPath().getList("bays.uuid");
        assertThat(head).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();

        List<String> walked = new ArrayList<>();
        String path = "/v1/bays/detail?limit=2&sort_key=created_at&sort_dir=desc";
        while (path != null && walked.size() < head.size()) {
            JsonPath page = Api.asDemo().get(path).then().statusCode(200).extract().jsonPath();
            List<String> uuids = page.getList("bays.uuid");
            assertThat(uuids).hasSizeLessThanOrEqualTo(2);
            walked.addAll(uuids);
            String next = page.getString("next");
            if (next != null) {
                assertThat(next).contains("/v1/bays/detail?").contains("limit=2").contains("sort_dir=desc")
                        .contains("marker=" + uuids.get(uuids.size() - 1));
                URI uri = URI.create(next);
                path = uri.getRawPath() + "?" + uri.getRawQuery();
            } else {
                path = null;
            }
        }
        assertThat(walked.subList(0, head.size())).isEqualTo(head);
    }

    @Test
    void sortsByTheKeyAskedFor() {
        Api.createBaymodel(Api.unique("zz-sort"), "debian-12");
        Api.createBaymodel(Api.unique("aa-sort"), "debian-12");
        List<String> names = Api.asDemo().get("/v1/baymodels?sort_key=name&sort_dir=desc")
                .then().statusCode(200).extract().jsonPath().getList("baymodels.name");
        assertThat(names).hasSizeGreaterThanOrEqualTo(2).isSortedAccordingTo(Comparator.<String>reverseOrder());
        List<Integer> counts = Api.asDemo().get("/v1/bays?sort_key=node_count")
                .then().statusCode(200).extract().jsonPath().getList("bays.node_count");
        assertThat(counts).isSorted();
    }

    @Test
    void badPagingParametersAre400AndAnUnknownMarker404() {
        assertBad("/v1/bays?limit=0", "Limit must be positive");
        assertBad("/v1/bays?limit=-5", "Limit must be positive");
        assertBad("/v1/bays?limit=many", "limit");
        assertBad("/v1/bays?sort_key=password", "invalid field for sorting");
        assertBad("/v1/baymodels?sort_key=id;drop", "invalid field for sorting");
        assertBad("/v1/bays/detail?sort_dir=up", "Invalid sort direction");
        assertBad("/v1/bays?marker=not-a-uuid", "marker");
        Api.asDemo().get("/v1/bays?marker=5d12f6fd-a196-4bf0-ae4c-1f639a523a52").then().statusCode(404)
                .body("errors[0].status", equalTo(404));
    }

    @Test
    void aFullPageOnlyHasANextLink() {
        Api.createBaymodel(Api.unique("full"), "debian-12");
        Api.createBaymodel(Api.unique("full"), "debian-12");
        Api.asDemo().get("/v1/baymodels?limit=2").then().statusCode(200)
                .body("baymodels.size()", equalTo(2)).body("next", containsString("marker="));
        // the page after the second-newest holds only the newest: not full, no next
        List<String> newest = Api.asDemo().get("/v1/baymodels?sort_key=id&sort_dir=desc&limit=2")
                .then().extract().jsonPath().getList("baymodels.uuid");
        Api.asDemo().get("/v1/baymodels?sort_key=id&sort_dir=asc&limit=5&marker=" + newest.get(1)).then().statusCode(200)
                .body("baymodels.uuid", equalTo(List.of(newest.get(0)))).body("next", equalTo(null));
    }

    private static void assertBad(String path, String mention) {
        Api.asDemo().get(path).then().statusCode(400).body("errors[0].status", equalTo(400))
                .body("errors[0].detail", containsString(mention));
    }
}
