package io.baystack.faults;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile on {@link FaultDatabase} instead of the shared baystack_test database (Flyway still
 * cleans it at start, as in %test), with stand-in servers slow enough that a bay is still being built
 * when the database goes away.
 */
public class FaultDatabaseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String db = FaultDatabase.HOST_PORT + "/" + FaultDatabase.NAME;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + db,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db,
                "baystack.heat.environment", "heat/env/local-slow.yaml",
                // a stack whose id could not be stored during the outage is looked up again once the
                // create claim (twice this timeout) runs out: keep that wait short
                "baystack.heat.timeout", "8s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FaultDatabase.class));
    }
}
