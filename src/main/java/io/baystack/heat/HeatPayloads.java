package io.baystack.heat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Heat v1's wire format, as much as baystack sends and reads; field names as Heat spells them. */
public final class HeatPayloads {

    private HeatPayloads() {
    }

    /** {@code POST /v1/{project}/stacks}. Template and environment travel as YAML text. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StackCreate(@JsonProperty("stack_name") String stackName, String template,
            Map<String, String> files, Map<String, Object> parameters, String environment,
            @JsonProperty("timeout_mins") Integer timeoutMins,
            @JsonProperty("disable_rollback") Boolean disableRollback) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackCreated(StackRef stack) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackRef(String id) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackList(List<StackSummary> stacks) {
    }

    /** A stack as Heat lists it (no outputs). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackSummary(String id, @JsonProperty("stack_name") String stackName,
            @JsonProperty("stack_status") String stackStatus,
            @JsonProperty("stack_status_reason") String stackStatusReason, String project,
            @JsonProperty("updated_time") String updatedTime) {
    }

    /** {@code PATCH /v1/{project}/stacks/{name}/{id}}: the existing template and environment, new parameter values. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StackPatch(@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Object template, Map<String, Object> parameters, @JsonProperty("timeout_mins") Integer timeoutMins,
            @JsonProperty("disable_rollback") Boolean disableRollback) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResourceList(List<Resource> resources) {
    }

    /** A resource as {@code GET …/resources?nested_depth=N} lists it. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resource(@JsonProperty("resource_name") String name,
            @JsonProperty("resource_type") String type,
            @JsonProperty("resource_status") String status,
            @JsonProperty("resource_status_reason") String statusReason,
            @JsonProperty("parent_resource") String parent,
            @JsonProperty("physical_resource_id") String physicalId, List<Link> links) {

        public Resource(String name, String type, String status, String statusReason, String parent, String physicalId) {
            this(name, type, status, statusReason, parent, physicalId, null);
        }

        /**
         * Whether this nested resource belongs to the top-level group {@code group}: its stack's name (from
         * its {@code stack} link) has the group's resource name in it, as Heat names nested stacks
         * {@code <parent stack>-<resource>-<id>}. Without a link, only the default group is assumed.
         */
        public boolean inGroup(String group) {
            String href = links == null ? null
                    : links.stream().filter(l -> "stack".equals(l.rel())).map(Link::href).findFirst().orElse(null);
            if (href == null) {
                return "kube_minions".equals(group);
            }
            String[] parts = href.split("/");
            return parts.length >= 2 && parts[parts.length - 2].contains("-" + group + "-");
        }

        /** "parent.resource" for a nested resource, the name alone at the top. */
        public String path() {
            return parent == null || parent.isBlank() ? name : parent + "." + name;
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventList(List<Event> events) {
    }

    /** An event as {@code GET …/events?nested_depth=N} lists it: a resource (or the stack itself) changed state. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(String id, @JsonProperty("event_time") String eventTime,
            @JsonProperty("resource_name") String resourceName,
            @JsonProperty("physical_resource_id") String physicalResourceId,
            @JsonProperty("resource_status") String status,
            @JsonProperty("resource_status_reason") String statusReason, List<Link> links) {

        /** The name of the (nested) stack the event belongs to, from its {@code stack} link; null when absent. */
        public String stackName() {
            String href = links == null ? null
                    : links.stream().filter(l -> "stack".equals(l.rel())).map(Link::href).findFirst().orElse(null);
            if (href == null) {
                return null;
            }
            String[] parts = href.split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : null;
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Link(String href, String rel) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackEnvelope(StackDetail stack) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackDetail(String id, @JsonProperty("stack_name") String stackName,
            @JsonProperty("stack_status") String stackStatus,
            @JsonProperty("stack_status_reason") String stackStatusReason, List<Output> outputs,
            Map<String, String> parameters, @JsonProperty("updated_time") String updatedTime) {

        /** The stack as a list of stacks shows it. */
        public StackSummary summary() {
            return new StackSummary(id, stackName, stackStatus, stackStatusReason, null, updatedTime);
        }

        /** The value of output {@code key}, or null. */
        public Object output(String key) {
            return outputs == null ? null
                    : outputs.stream().filter(o -> key.equals(o.key())).map(Output::value).findFirst().orElse(null);
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(@JsonProperty("output_key") String key, @JsonProperty("output_value") Object value) {
    }

    /** Heat's error body: {@code {"code","title","explanation","error":{"message","type"}}}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeatError(int code, String title, String explanation, ErrorDetail error) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorDetail(String message, String type) {
    }
}
