package io.baystack.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.baystack.heat.HeatPayloads.StackList;
import io.baystack.heat.HeatPayloads.StackSummary;
import io.smallrye.mutiny.Uni;

/** How the Heat facade reads stack lists: ids paged into short request lines, an answer without stacks. */
class HeatStacksListTest {

    /** The default of {@code baystack.heat.list-page-size}. */
    private static final int PAGE = 50;

    @Test
    void moreIdsThanOnePageAreListedInSeveralCallsAndEveryStackIsReturned() {
        List<String> ids = IntStream.range(0, 2 * PAGE + 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
        List<List<String>> calls = new ArrayList<>();

        List<String> listed = HeatStacks.<String, String>paged(ids, PAGE, page -> {
            calls.add(List.copyOf(page));
            // Heat answers with the stacks of the ids asked for
            return Uni.createFrom().item(List.copyOf(page));
        }).await().indefinitely();

        assertThat(calls).extracting(List::size).containsExactly(PAGE, PAGE, 20);
        assertThat(listed).containsExactlyElementsOf(ids);
        // the longest request line a page makes stays far below the 4 KB some servers in front of Heat accept
        assertThat(calls).allSatisfy(page -> assertThat(requestLine(page).getBytes(StandardCharsets.UTF_8).length)
                .isLessThan(4096));
    }

    @Test
    void idsWithinOnePageAreOneCall() {
        List<String> ids = List.of("a", "b");
        List<List<String>> calls = new ArrayList<>();

        List<String> listed = HeatStacks.<String, String>paged(ids, PAGE, page -> {
            calls.add(List.copyOf(page));
            return Uni.createFrom().item(List.copyOf(page));
        }).await().indefinitely();

        assertThat(calls).containsExactly(ids);
        assertThat(listed).containsExactly("a", "b");
    }

    @Test
    void anAnswerWithoutStacksFindsNoStackByName() {
        assertThat(HeatStacks.named(new StackList(null), "bay-1")).isEmpty();
        assertThat(HeatStacks.named(new StackList(List.of()), "bay-1")).isEmpty();
    }

    @Test
    void findByNameTakesOnlyTheExactName() {
        StackSummary other = summary("bay-10", "id-10");
        StackSummary mine = summary("bay-1", "id-1");

        assertThat(HeatStacks.named(new StackList(List.of(other, mine)), "bay-1")).contains(mine);
    }

    private static StackSummary summary(String name, String id) {
        return new StackSummary(id, name, "CREATE_COMPLETE", null, null, null);
    }

    private static String requestLine(List<String> page) {
        return "GET /v1/-/stacks?global_tenant=true&" + page.stream().map(id -> "id=" + id).collect(Collectors.joining("&"))
                + " HTTP/1.1";
    }
}
