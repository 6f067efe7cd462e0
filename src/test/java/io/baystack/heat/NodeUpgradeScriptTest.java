package io.baystack.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.baystack.support.FastTier;

/**
 * How a node decides which Kubernetes release to run (heat/bootstrap/lib.sh, run by bash): the server's
 * metadata as Nova serves it over its metadata service (read here from a file of the same shape), else
 * the first boot's settings; and what its upgrade timer does short of installing anything: nothing on a
 * node without recorded state, on the release it runs, or for an older release.
 */
@FastTier
class NodeUpgradeScriptTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    /** {@code script} after lib.sh is sourced, with the settings file and the node's state in the test's directory. */
    private Run bash(String settings, Map<String, String> env, String script) throws Exception {
        Path settingsFile = dir.resolve("bootstrap.env");
        Files.writeString(settingsFile, settings);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -Eeuo pipefail; source src/main/resources/heat/bootstrap/lib.sh; load_settings; " + script);
        pb.environment().put("BAYSTACK_ENV", settingsFile.toString());
        pb.environment().put("BAYSTACK_LOG", dir.resolve("bootstrap.log").toString());
        pb.environment().put("KUBE_TAG_FILE", dir.resolve("kube-tag").toString());
        pb.environment().put("BAYSTACK_LOCK", dir.resolve("lock").toString());
        // no metadata service unless the test gives one: a port nothing listens on
        pb.environment().put("BAYSTACK_METADATA_URL", "http://127.0.0.1:9/openstack/latest/meta_data.json");
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** Nova's meta_data.json for a server whose metadata holds {@code kubeTag}, as a file:// URL. */
    private String metadata(String kubeTag) throws Exception {
        Path file = dir.resolve("meta_data.json");
        Files.writeString(file, "{\"uuid\": \"5e0b7bd5-0000-4000-8000-000000000001\", \"name\": \"bay-minion-0\","
                + " \"meta\": {\"kube_master_ip\": \"10.0.0.5\", \"kube_tag\": \"" + kubeTag + "\"}, \"hostname\": \"bay-minion-0\"}");
        return file.toUri().toString();
    }

    @Test
    void theServersMetadataNamesTheReleaseElseTheFirstBootsSettings() throws Exception {
        Run fromMetadata = bash("ROLE=minion\nKUBE_TAG=v1.34.2\n", Map.of("BAYSTACK_METADATA_URL", metadata("v1.35.1")),
                "current_kube_tag");
        assertThat(fromMetadata.exit()).as(fromMetadata.out()).isZero();
        assertThat(fromMetadata.out().trim()).isEqualTo("v1.35.1");

        Run fromSettings = bash("ROLE=minion\nKUBE_TAG=v1.34.2\n", Map.of(), "current_kube_tag");
        assertThat(fromSettings.exit()).as(fromSettings.out()).isZero();
        assertThat(fromSettings.out()).endsWith("v1.34.2\n");

        // whatever the metadata holds reaches a root script's command line only if it is a release
        Run bad = bash("ROLE=minion\nKUBE_TAG=v1.34.2\n", Map.of("BAYSTACK_METADATA_URL", metadata("v1.35; reboot")),
                "current_kube_tag");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.out()).contains("not a Kubernetes release: 'v1.35; reboot'");
    }

    @Test
    void releasesCompareAsVersionsNotAsText() throws Exception {
        Run run = bash("ROLE=master\n", Map.of(), "for pair in 'v1.35.0 v1.34.2' 'v1.34.10 v1.34.9' 'v1.34.2 v1.34.2'"
                + " 'v1.34.2 v1.35.0' 'v1.9.0 v1.10.0'; do set -- $pair; if release_at_least $1 $2; then echo \"$1>=$2 yes\";"
                + " else echo \"$1>=$2 no\"; fi; done");
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out().lines()).containsExactly("v1.35.0>=v1.34.2 yes", "v1.34.10>=v1.34.9 yes", "v1.34.2>=v1.34.2 yes",
                "v1.34.2>=v1.35.0 no", "v1.9.0>=v1.10.0 no");
    }

    @Test
    void theUpgradeTimerLeavesAloneANodeWithoutStateOnItsReleaseOrAskedToGoBack() throws Exception {
        String settings = "ROLE=minion\nKUBE_TAG=v1.34.2\nMASTER_PRIVATE_IP=127.0.0.1\n";
        // never bootstrapped: no recorded release
        Run fresh = bash(settings, Map.of("BAYSTACK_METADATA_URL", metadata("v1.35.0")), "upgrade_from_metadata; echo returned");
        assertThat(fresh.out()).as(fresh.out()).contains("returned").doesNotContain("upgrade to");

        Files.writeString(dir.resolve("kube-tag"), "v1.35.0\n");
        Run same = bash(settings, Map.of("BAYSTACK_METADATA_URL", metadata("v1.35.0")), "upgrade_from_metadata; echo returned");
        assertThat(same.out()).as(same.out()).contains("returned").doesNotContain("upgrade to");

        Run older = bash(settings, Map.of("BAYSTACK_METADATA_URL", metadata("v1.34.2")), "upgrade_from_metadata; echo returned");
        assertThat(older.out()).as(older.out()).contains("the server's metadata names v1.34.2, older than v1.35.0: nothing done")
                .contains("returned");
        assertThat(Files.readString(dir.resolve("kube-tag"))).isEqualTo("v1.35.0\n");
    }

    @Test
    void theUpgradeTimerWaitsForABootstrapThatHoldsTheNode() throws Exception {
        Files.writeString(dir.resolve("kube-tag"), "v1.34.2\n");
        // the bootstrap (another process) holds the lock: the timer's run does nothing, not even look
        Run run = bash("ROLE=minion\nKUBE_TAG=v1.34.2\nMASTER_PRIVATE_IP=127.0.0.1\n",
                Map.of("BAYSTACK_METADATA_URL", metadata("v1.35.0")),
                "flock \"$BAYSTACK_LOCK\" -c 'sleep 30' >/dev/null 2>&1 & holder=$!; until [ -e \"$BAYSTACK_LOCK\" ] && ! flock -n \"$BAYSTACK_LOCK\" true;"
                        + " do sleep 0.1; done; upgrade_from_metadata; echo returned; kill $holder");
        assertThat(run.out()).as(run.out()).contains("returned").doesNotContain("upgrade to");
    }
}
