package io.baystack.baymodel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.baystack.api.BaystackException;

/**
 * The Kubernetes release a template's nodes run: its {@code kube_tag} label, else {@link #DEFAULT}. An
 * upgrade moves a running cluster from one to another with kubeadm, which goes forward one minor release
 * at a time ({@code kubeadm upgrade apply} refuses a skipped minor and any downgrade), so baystack refuses
 * those at the request rather than letting the nodes fail after Heat reported the update complete.
 */
public record KubeRelease(String tag, int major, int minor, int patch) {

    /** The release of a template whose labels name none. */
    public static final String DEFAULT = "v1.34.2";

    private static final Pattern SHAPE = Pattern.compile("^v(\\d+)\\.(\\d+)\\.(\\d+)([-+][0-9A-Za-z.-]+)?$");

    /** The release a template's nodes run; null for a tag of another shape (a template stored before labels were checked). */
    public static KubeRelease of(BayModel model) {
        String tag = model.labels == null ? DEFAULT : model.labels.getOrDefault("kube_tag", DEFAULT);
        Matcher m = SHAPE.matcher(tag);
        return m.matches()
                ? new KubeRelease(tag, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                : null;
    }

    /**
     * Refuses (400) an upgrade from this release to {@code target} that kubeadm cannot carry out: another
     * major, an older release, or more than one minor release ahead. The same release (another image) is fine.
     */
    public void requireUpgradableTo(KubeRelease target, String kind) {
        boolean older = target.major < major || target.major == major
                && (target.minor < minor || target.minor == minor && target.patch < patch);
        if (target.major != major || older) {
            throw BaystackException.invalid("The " + kind + " runs Kubernetes " + tag + " and cannot go to " + target.tag
                    + ": kubeadm upgrades forward only, within a major release.");
        }
        if (target.minor > minor + 1) {
            throw BaystackException.invalid("The " + kind + " runs Kubernetes " + tag + " and cannot go to " + target.tag
                    + " at once: kubeadm upgrades one minor release at a time (to v" + major + "." + (minor + 1)
                    + " first).");
        }
    }
}
