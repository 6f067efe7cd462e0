package io.baystack.api;

import jakarta.enterprise.context.RequestScoped;

import io.baystack.keystone.Caller;

/** What the filters learnt about the current request: its id, microversion and authenticated caller. */
@RequestScoped
public class ApiRequest {

    private String requestId;
    private Microversion microversion = Microversion.MIN;
    private Caller caller;

    public String requestId() {
        return requestId;
    }

    public Microversion microversion() {
        return microversion;
    }

    /** The validated caller; every non-public route has one. */
    public Caller caller() {
        if (caller == null) {
            throw BaystackException.notAuthenticated("Authentication required.");
        }
        return caller;
    }

    void requestId(String requestId) {
        this.requestId = requestId;
    }

    void microversion(Microversion microversion) {
        this.microversion = microversion;
    }

    void caller(Caller caller) {
        this.caller = caller;
    }
}
