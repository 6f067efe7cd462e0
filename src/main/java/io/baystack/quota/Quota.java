package io.baystack.quota;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An admin's limit for one project and resource ("Cluster", the only one Magnum knows). */
@Entity
@Table(name = "quota")
public class Quota {

    /** The resource of a project's limit on clusters. */
    public static final String CLUSTER = "Cluster";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "project_id")
    public String projectId;
    public String resource;
    @Column(name = "hard_limit")
    public int hardLimit;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
