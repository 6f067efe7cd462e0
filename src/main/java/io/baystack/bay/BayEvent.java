package io.baystack.bay;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One line of a bay's story: a state change of baystack's own (written with the change) or an event
 * of its Heat stack (copied by the reconciler). Oldest first by id.
 */
@Entity
@Table(name = "bay_event")
public class BayEvent {

    /** Who says it. */
    public static final String BAYSTACK = "baystack";
    public static final String HEAT = "heat";

    /** What baystack did: a create, update or delete accepted from the API. */
    public static final String ACCEPTED = "accepted";
    /** Heat took what was sent: the stack create, update or delete. */
    public static final String HANDED_TO_HEAT = "handed_to_heat";
    /** A Heat call failed and will be tried again (the reason says when). */
    public static final String WAITING_FOR_HEAT = "waiting_for_heat";
    /** The bay's status changed (mirrored from Heat, or failed), with its reason. */
    public static final String STATUS = "status";
    /** Heat's event about the bay's stack itself, or about one of its resources (nested ones included). */
    public static final String STACK = "stack";
    public static final String RESOURCE = "resource";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    /** Ours for baystack's events; Heat's event id for Heat's, so a copy made twice is stored once. */
    public String uuid;
    @Column(name = "bay_id")
    public long bayId;
    public String source;
    public String kind;
    /** Heat's events only: the (nested) stack the resource belongs to. */
    @Column(name = "stack_name")
    public String stackName;
    @Column(name = "resource_name")
    public String resourceName;
    /** The bay's status after the change, or the Heat resource's status. */
    public String status;
    @Column(columnDefinition = "text")
    public String reason;
    /** When it happened (Heat's events: Heat's time, to the second). */
    @Column(name = "event_time")
    public Instant time;
}
