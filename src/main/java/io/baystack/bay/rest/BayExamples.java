package io.baystack.bay.rest;

/** Examples of the bay API's bodies for its OpenAPI description ({@code /q/openapi}). */
final class BayExamples {

    /** The seed's bay create. */
    static final String CREATE = """
            {"name": "testbay", "baymodel_id": "testbaymodel", "node_count": 1, "master_count": 1,
             "discovery_url": null, "bay_create_timeout": 60}""";

    /** A create's answer from microversion 1.2 on. */
    static final String ACCEPTED = """
            {"uuid": "0d6f6a53-8c1f-4b59-a1d2-0f0e2a7c9b41"}""";

    /** A bay Heat has built. */
    static final String VIEW = """
            {"uuid": "0d6f6a53-8c1f-4b59-a1d2-0f0e2a7c9b41", "name": "testbay",
             "baymodel_id": "5b7e3c0a-2f4d-4f7e-9a61-3c2b8d1e6f90", "node_count": 1, "master_count": 1,
             "discovery_url": null, "bay_create_timeout": 60, "docker_volume_size": 3, "labels": {},
             "flavor_id": "m1.small", "master_flavor_id": "m1.medium", "fixed_network": null, "fixed_subnet": null,
             "floating_ip_enabled": true, "master_lb_enabled": false,
             "stack_id": "8a1c2f4e-6b3d-4e5f-9a7b-1c2d3e4f5a6b", "status": "CREATE_COMPLETE",
             "status_reason": "Stack CREATE completed successfully", "api_address": "https://172.24.4.10:6443",
             "master_addresses": ["172.24.4.10"], "node_addresses": ["172.24.4.11"], "faults": {},
             "links": [{"href": "http://127.0.0.1:9511/v1/bays/0d6f6a53-8c1f-4b59-a1d2-0f0e2a7c9b41", "rel": "self"},
                       {"href": "http://127.0.0.1:9511/bays/0d6f6a53-8c1f-4b59-a1d2-0f0e2a7c9b41", "rel": "bookmark"}],
             "created_at": "2026-11-25T15:40:02+00:00", "updated_at": "2026-11-25T15:41:17+00:00"}""";

    private BayExamples() {
    }
}
