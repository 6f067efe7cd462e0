package io.baystack.mservice;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One function on one host, as it last reported itself. */
@Entity
@Table(name = "mservice")
public class Mservice {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String host;
    @Column(name = "binary_name")
    public String binary;
    @Column(name = "report_count")
    public long reportCount;
    public boolean disabled;
    @Column(name = "disabled_reason")
    public String disabledReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
