package io.baystack.bay;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.baystack.api.JsonColumns;

/** How far the bay's stack was at the reconciler's last look: its Heat resources (nested included) by state. */
@Entity
@Table(name = "bay_progress")
public class BayProgress {

    @Id
    @Column(name = "bay_id")
    public Long bayId;
    public int total;
    public int complete;
    @Column(name = "in_progress")
    public int inProgress;
    public int failed;
    /** The resources not started yet, "parent.resource" for nested ones. */
    @Convert(converter = JsonColumns.StringList.class)
    @Column(columnDefinition = "text")
    public List<String> pending = List.of();
    @Column(name = "updated_at")
    public Instant updatedAt;
}
