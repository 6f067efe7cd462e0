package io.baystack.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Leaves nothing of the test bays in Heat or Keystone. The test profile wipes the test database at
 * every Quarkus boot, which would turn the stack and trust of every bay a test did not delete into a
 * permanent orphan; so before each boot (a global test resource, started before the application and
 * its Flyway clean) and once more when the test JVM's JUnit session closes, the stacks and trusts that
 * the test database's bay rows name are deleted. Only this checkout's own test database is read
 * (BAYSTACK_TEST_DB), so neither `make run`'s testbay nor a parallel checkout's bays are touched.
 */
@QuarkusTestResource(LeftoverReaper.class)
public class LeftoverReaper implements QuarkusTestResourceLifecycleManager, LauncherSessionListener {

    @Override
    public Map<String, String> start() {
        reap();
        return Map.of();
    }

    @Override
    public void stop() {
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        reap();
    }

    /** Deletes the stacks and trusts of the bays in the test database; a cloud that does not answer is no failure. */
    static void reap() {
        Map<String, LocalCloud.Token> byProject = new HashMap<>();
        try {
            for (LocalCloud.User user : List.of(LocalCloud.DEMO, LocalCloud.ALT, LocalCloud.ADMIN)) {
                LocalCloud.Token token = LocalCloud.token(user);
                byProject.put(token.projectId(), token);
            }
        } catch (RuntimeException e) {
            System.err.println("LeftoverReaper: no tokens, nothing reaped: " + e.getMessage());
            return;
        }
        int stacks = 0;
        int trusts = 0;
        Map<String, Map<String, List<String>>> stacksByProject = new HashMap<>();
        try (Connection db = DriverManager.getConnection(url(), env("BAYSTACK_DB_USER", "baystack"),
                env("BAYSTACK_DB_PASSWORD", "baystack"));
                Statement query = db.createStatement();
                ResultSet bays = query.executeQuery("select project_id, stack_name, stack_id, trust_id,"
                        // the trusts a rotation replaced (read through the row's JSON: a schema from before them has none)
                        + " to_jsonb(bay) ->> 'retired_trust_ids' as retired from bay")) {
            while (bays.next()) {
                LocalCloud.Token token = byProject.get(bays.getString("project_id"));
                String name = bays.getString("stack_name");
                String id = bays.getString("stack_id");
                if (token != null) {
                    // by name too: a create Heat took whose id was never stored is a stack all the same. The
                    // project's stacks are listed once (a few pages), not looked up bay by bay: the fast tier
                    // leaves hundreds of bays that never reached Heat, and one Heat call each held the next
                    // tier's first Quarkus boot for minutes
                    List<String> named = id != null ? List.of() : stacksByProject
                            .computeIfAbsent(bays.getString("project_id"), p -> byName(token)).getOrDefault(name, List.of());
                    for (String stack : named) {
                        stacks += LocalCloud.deleteStackQuietly(token, name, stack) ? 1 : 0;
                    }
                    if (id != null) {
                        stacks += LocalCloud.deleteStackQuietly(token, name, id) ? 1 : 0;
                    }
                }
                List<String> held = new java.util.ArrayList<>();
                if (bays.getString("trust_id") != null) {
                    held.add(bays.getString("trust_id"));
                }
                if (bays.getString("retired") != null) {
                    held.addAll(List.of(bays.getString("retired").split(",")));
                }
                for (String trust : held) {
                    trusts += LocalCloud.deleteTrust(trust) ? 1 : 0;
                }
            }
        } catch (SQLException e) {
            // no schema yet (a first run) or no database: nothing to reap
            System.err.println("LeftoverReaper: test database not read: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            System.err.println("LeftoverReaper: stopped early: " + e.getMessage());
        }
        if (stacks + trusts > 0) {
            System.err.printf("LeftoverReaper: deleted %d stacks and %d trusts of the test database's bays%n", stacks, trusts);
        }
    }

    /** The ids of the token's project's stacks, by name. */
    private static Map<String, List<String>> byName(LocalCloud.Token token) {
        Map<String, List<String>> ids = new HashMap<>();
        for (JsonNode stack : LocalCloud.allStacks(token)) {
            ids.computeIfAbsent(stack.path("stack_name").asText(), n -> new java.util.ArrayList<>()).add(stack.path("id").asText());
        }
        return ids;
    }

    private static String url() {
        return "jdbc:postgresql://" + env("BAYSTACK_DB_HOST", "127.0.0.1") + ":" + env("BAYSTACK_DB_PORT", "5432") + "/"
                + env("BAYSTACK_TEST_DB", "baystack_test");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
